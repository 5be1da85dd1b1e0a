import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
import { badRequestHtml } from "./app/replays/_lib/bad-request-html";
import { queryProblem } from "./app/replays/_lib/params";

/**
 * Next.js's proxy (the middleware of Next.js < 16): a page cannot answer with status 400, so bad
 * query parameters of /leaderboard, /replays and /replays/[id] are refused here, before
 * rendering, with a 400 and a page that names the bad parameter. Good queries pass through.
 */
export function proxy(request: NextRequest) {
  const problem = queryProblem(request.nextUrl.pathname, request.nextUrl.searchParams);
  if (problem === null) return NextResponse.next();
  return new NextResponse(badRequestHtml(problem, request.nextUrl.pathname), {
    status: 400,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

export const config = {
  matcher: ["/leaderboard", "/replays", "/replays/:id"],
};
