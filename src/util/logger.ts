// The logging surface the core writes to. The shell passes a vscode.LogOutputChannel, which
// has exactly these methods; tests pass a recorder or `silentLogger`.

export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

const ignore = (): void => undefined;

export const silentLogger: Logger = { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: ignore };
