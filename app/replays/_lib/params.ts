import type { z } from "zod";
import {
  leaderboardQuerySchema,
  replayListQuerySchema,
  replayViewQuerySchema,
} from "../../../server/db/inputs";

/**
 * Query strings of /leaderboard, /replays and /replays/[id], checked with the data layer's zod
 * schemas. Pure (no database): the pages and the proxy (which answers a bad query with a real
 * 400) share it, so both say the same thing.
 */

/** What Next.js passes a page as `searchParams`. */
export type SearchParams = Readonly<Record<string, string | string[] | undefined>>;

/** A checked query: its values (strings, as given) and what the schema made of them. */
export type QueryResult<T> =
  | { readonly ok: true; readonly values: Readonly<Record<string, string>>; readonly query: T }
  | { readonly ok: false; readonly message: string };

/** One value per parameter; a parameter given twice is refused (`page: given 2 times`). */
function singleValues(
  params: SearchParams | URLSearchParams,
): { values: Record<string, string> } | { message: string } {
  const values: Record<string, string> = {};
  const entries =
    params instanceof URLSearchParams
      ? [...new Set(params.keys())].map((key) => [key, params.getAll(key)] as const)
      : Object.entries(params);
  for (const [key, value] of entries) {
    // Next.js's own cache-busting parameter of client navigations is never the page's.
    if (value === undefined || key === "_rsc") continue;
    if (Array.isArray(value)) {
      if (value.length !== 1)
        return { message: `${key}: given ${value.length} times, once at most` };
      values[key] = value[0] as string;
    } else {
      values[key] = value as string;
    }
  }
  return { values };
}

/** Parse a query with a schema; the message names every bad parameter. */
export function parseQuery<S extends z.ZodType>(
  schema: S,
  params: SearchParams | URLSearchParams,
  what: string,
): QueryResult<z.output<S>> {
  const single = singleValues(params);
  if ("message" in single) return { ok: false, message: `Bad ${what}: ${single.message}` };
  const parsed = schema.safeParse(single.values);
  if (parsed.success) return { ok: true, values: single.values, query: parsed.data };
  const issues = parsed.error.issues
    .map((issue) => {
      // strictObject reports unknown parameters as one issue listing their names.
      if (issue.code === "unrecognized_keys") {
        return `unknown parameter${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
      }
      return (issue.path.length > 0 ? `${issue.path.join(".")}: ` : "") + issue.message;
    })
    .join("; ");
  return { ok: false, message: `Bad ${what}: ${issues}` };
}

/** The leaderboard's query. */
export function parseLeaderboardQuery(params: SearchParams | URLSearchParams) {
  return parseQuery(leaderboardQuerySchema, params, "leaderboard query");
}

/** The replay list's query. */
export function parseReplayListQuery(params: SearchParams | URLSearchParams) {
  return parseQuery(replayListQuerySchema, params, "replay list query");
}

/** The replay viewer's query (`?turn=N`; the page checks N against the round's turns). */
export function parseReplayViewQuery(params: SearchParams | URLSearchParams) {
  return parseQuery(replayViewQuerySchema, params, "replay query");
}

/**
 * Why the query of a request to one of these pages is bad, or null when it is fine (or the
 * path is not one of them). The proxy answers a non-null problem with a 400.
 */
export function queryProblem(pathname: string, params: URLSearchParams): string | null {
  const path = pathname.replace(/\/+$/, "") || "/";
  let result: QueryResult<unknown> | null = null;
  if (path === "/leaderboard") result = parseLeaderboardQuery(params);
  else if (path === "/replays") result = parseReplayListQuery(params);
  else if (/^\/replays\/[^/]+$/.test(path)) result = parseReplayViewQuery(params);
  return result && !result.ok ? result.message : null;
}

/** `path?query` with `changes` applied (null removes a parameter) and blank values dropped. */
export function hrefWith(
  path: string,
  values: Readonly<Record<string, string>>,
  changes: Readonly<Record<string, string | null>> = {},
): string {
  const merged: Record<string, string | null> = { ...values, ...changes };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) {
    if (value !== null && value !== "") query.set(key, value);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
