import { clearLine, cursorTo } from "node:readline";
import cliProgress from "cli-progress";
import type { OnProgress } from "../progress.ts";
import { note, say } from "./context.ts";

/**
 * How a command shows the progress of its long steps, one helper for every command: on a terminal
 * (stderr a TTY), a line on stderr redrawn in place (the step, a bar and a count when the step can be
 * counted, the time so far) and cleared at the end; with LEADCAL_PROGRESS set and no terminal, plain
 * lines on stderr; otherwise nothing. LEADCAL_PROGRESS=0 turns the bar off on a terminal too.
 * What a command prints itself (its output on stdout, its notes on stderr) is the same in every mode.
 */
export type ProgressMode = "bar" | "lines" | "off";

export function progressMode(stderrIsTTY: boolean, setting: string | undefined): ProgressMode {
  if (setting === "0") return "off";
  if (stderrIsTTY) return "bar";
  return setting ? "lines" : "off";
}

export interface Progress {
  /** What the library functions are given: undefined when nothing is shown. */
  readonly onProgress: OnProgress | undefined;
  /** A line of the command's output (stdout), printed above the bar. */
  say(line?: string): void;
  /** A note (stderr), printed above the bar. */
  note(line: string): void;
  /** Clears the bar; the command prints the rest of its output after. */
  stop(): void;
}

/** Runs `fn` with the progress of command `label`, stopped however `fn` ends. */
export async function withProgress<T>(label: string, fn: (p: Progress) => Promise<T>): Promise<T> {
  const p = startProgress(label);
  try {
    return await fn(p);
  } finally {
    p.stop();
  }
}

export function startProgress(
  label: string,
  mode: ProgressMode = progressMode(Boolean(process.stderr.isTTY), process.env.LEADCAL_PROGRESS),
): Progress {
  if (mode === "bar") return barProgress(label);
  const plain = { say, note, stop() {} };
  return { ...plain, onProgress: mode === "lines" ? lineProgress(label) : undefined };
}

/** A counted step prints a line when it starts, when it ends, and at most this often in between. */
const LINE_EVERY_MS = 5000;

function lineProgress(label: string): OnProgress {
  let last = "";
  let at = 0;
  return (step, done, total) => {
    const now = Date.now();
    const ended = total !== undefined && done === total;
    if (step === last && !ended && now - at < LINE_EVERY_MS) return;
    last = step;
    at = now;
    note(`${label}: ${step}${total !== undefined ? ` (${done ?? 0}/${total})` : ""}`);
  };
}

/** The bar's line is redrawn at most this often from a step's updates (and by cli-progress's timer). */
const REDRAW_MS = 100;

function barProgress(label: string): Progress {
  const stream = process.stderr;
  const started = Date.now();
  // One bar of a MultiBar: a MultiBar prints log lines above its bars. It is redrawn from every update
  // that is due (forceRedraw): calibration's fit keeps the event loop busy, so cli-progress's own timer
  // would not fire. Line wrapping and the cursor are left alone (linewrap: the line is cut to the
  // terminal's width instead), so an interrupted command leaves the terminal as it was.
  const multi = new cliProgress.MultiBar(
    {
      stream,
      clearOnComplete: true,
      hideCursor: false,
      linewrap: true,
      forceRedraw: true,
      barsize: 20,
      format: (options, params, payload: { step: string }) => {
        const s = Math.floor((Date.now() - started) / 1000);
        const clock = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
        const counted =
          params.total > 0
            ? ` [${cliProgress.Format.BarFormat(params.progress, options)}] ${params.value}/${params.total}`
            : "";
        return `${label}${counted} ${payload.step} ${clock}`;
      },
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(0, 0, { step: "starting" });
  let step = "";
  let drawn = 0;
  let stopped = false;
  const redraw = () => {
    if (stopped) return;
    multi.update();
    drawn = Date.now();
  };
  return {
    onProgress(s, done, total) {
      if (stopped) return;
      bar.setTotal(total ?? 0);
      bar.update(done ?? 0, { step: s });
      if (s !== step || Date.now() - drawn >= REDRAW_MS) {
        step = s;
        redraw();
      }
    },
    say(line = "") {
      if (!stopped) {
        cursorTo(stream, 0);
        clearLine(stream, 0);
      }
      say(line);
      redraw();
    },
    note(line) {
      if (stopped) {
        note(line);
        return;
      }
      multi.log(`${line}\n`);
      redraw();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}
