/**
 * A mistake a user can make (a bad file, a wrong flag, a locked database). The CLI prints its
 * message and exits non-zero without a stack trace; anything else is a bug and is shown in full.
 */
export class UserError extends Error {
  readonly file?: string;
  readonly row?: number;
  readonly column?: string;
  readonly exitCode: number;

  constructor(
    message: string,
    where: { file?: string; row?: number; column?: string; exitCode?: number } = {},
  ) {
    super(formatWhere(where) + message);
    this.name = "UserError";
    this.file = where.file;
    this.row = where.row;
    this.column = where.column;
    this.exitCode = where.exitCode ?? 2;
  }
}

/** "file.csv, row 12, column email: " — the prefix every user-facing error carries. */
export function formatWhere(where: { file?: string; row?: number; column?: string }): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.file);
  if (where.row !== undefined) parts.push(`row ${where.row}`);
  if (where.column) parts.push(`column ${where.column}`);
  return parts.length ? `${parts.join(", ")}: ` : "";
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
