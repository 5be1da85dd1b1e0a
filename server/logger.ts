/** Where the server writes what happened: injectable so that tests can stay quiet or assert. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function line(level: string, message: string, fields?: Record<string, unknown>): string {
  const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
  return `[game] ${level} ${message}${extra}`;
}

/** Logs to the console, one line per entry. */
export const consoleLogger: Logger = {
  info: (message, fields) => console.log(line("info", message, fields)),
  warn: (message, fields) => console.warn(line("warn", message, fields)),
  error: (message, fields) => console.error(line("error", message, fields)),
};

/** Logs nothing. */
export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
};
