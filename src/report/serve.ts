import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Serves a built site (dist/) as the static files it is, on 127.0.0.1: what `npm run preview`
 * runs, and what the browser test serves. Framework's links have no ".html" (`/funnel`), so a path
 * without an extension is looked up as `<path>.html`, then `<path>/index.html`.
 */

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}

/** The file a URL path names inside `root`, or null (never a file outside it). */
export function resolveStatic(root: string, urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split("?")[0] ?? "/");
  } catch {
    return null;
  }
  const base = resolve(root);
  const candidate = normalize(join(base, path));
  if (candidate !== base && !candidate.startsWith(base + sep)) return null;
  const tries = path.endsWith("/")
    ? [join(candidate, "index.html")]
    : extname(candidate)
      ? [candidate]
      : [`${candidate}.html`, join(candidate, "index.html"), candidate];
  return tries.find(isFile) ?? null;
}

export function serveStatic(root: string, port = 0): Promise<Server> {
  const server = createServer((req, res) => {
    const file = resolveStatic(root, req.url ?? "/");
    if (!file) {
      const notFound = join(root, "404.html");
      res.writeHead(404, { "content-type": TYPES[".html"] as string });
      res.end(isFile(notFound) ? readFileSync(notFound) : "not found");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-cache",
    });
    res.end(readFileSync(file));
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok(server));
  });
}

/** `tsx src/report/serve.ts [dir] [--port N]`: prints the URL on its first line of stdout. */
async function main(args: string[]): Promise<void> {
  const portAt = args.indexOf("--port");
  const port = Number(portAt >= 0 ? args[portAt + 1] : (process.env.PORT ?? 3000));
  const root = args.find((a, i) => !a.startsWith("--") && (portAt < 0 || i !== portAt + 1)) ?? "dist";
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`not a port number: ${args[portAt + 1]}\n`);
    process.exitCode = 2;
    return;
  }
  if (!isFile(join(root, "index.html"))) {
    process.stderr.write(`no built site in ${root}/: run \`npm run build\` first\n`);
    process.exitCode = 2;
    return;
  }
  const server = await serveStatic(root, port);
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  process.stdout.write(`http://127.0.0.1:${actual}/\n`);
  process.stderr.write(`serving ${resolve(root)}; press Ctrl-C to stop\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  await main(process.argv.slice(2));
