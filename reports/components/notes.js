// Boxes that say what the data cannot show, so a partial export reads as partial, not as broken.

export function missingNotice(notes, { title = "What this page cannot show from the loaded data" } = {}) {
  const div = document.createElement("div");
  if (!notes || notes.length === 0) return div;
  div.className = "missing";
  const strong = document.createElement("strong");
  strong.textContent = title;
  const ul = document.createElement("ul");
  for (const n of notes) {
    const li = document.createElement("li");
    li.textContent = n;
    ul.append(li);
  }
  div.append(strong, ul);
  return div;
}

/** A one-line paragraph (the takeaway under a chart). */
export function takeaway(text) {
  const p = document.createElement("p");
  p.className = "takeaway";
  p.textContent = text;
  return p;
}

/** Nothing to show: an empty element (a cell showing null would print "null"). */
export function empty() {
  return document.createElement("span");
}

/**
 * A section heading drawn by a cell, for sections a page shows only for some data; it matches what
 * Framework renders for a Markdown `## text`.
 */
export function heading(text) {
  const id = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  const h2 = document.createElement("h2");
  h2.id = id;
  h2.tabIndex = -1;
  const a = document.createElement("a");
  a.className = "observablehq-header-anchor";
  a.href = `#${id}`;
  a.textContent = text;
  h2.append(a);
  return h2;
}
