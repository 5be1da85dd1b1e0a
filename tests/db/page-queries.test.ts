/**
 * The query strings of /leaderboard, /replays and /replays/[id] (app/replays/_lib/params), checked
 * with the data layer's schemas: what the pages accept, and the 400 messages the proxy sends.
 */
import { describe, expect, it } from "vitest";
import {
  hrefWith,
  parseLeaderboardQuery,
  parseReplayListQuery,
  parseReplayViewQuery,
  queryProblem,
} from "../../app/replays/_lib/params";
import { badRequestHtml } from "../../app/replays/_lib/bad-request-html";

const q = (text: string) => new URLSearchParams(text);

describe("page queries", () => {
  it("accept what the forms and links send, blank values included", () => {
    const board = parseLeaderboardQuery(q("surface=booth&competition=&period=week&page=2"));
    expect(board).toMatchObject({
      ok: true,
      values: { surface: "booth", competition: "", period: "week", page: "2" },
      query: { surface: "catalog:booth", period: "week", page: 2 },
    });
    expect(parseReplayListQuery({ nickname: "Ada", surface: "procedural:42:hard" })).toMatchObject({
      ok: true,
      query: { nickname: "Ada", surface: "procedural:42:hard" },
    });
    expect(parseReplayViewQuery(q("turn=0"))).toMatchObject({ ok: true, query: { turn: 0 } });
    expect(parseReplayViewQuery(q(""))).toMatchObject({ ok: true, query: {} });
  });

  it("refuse bad parameters with one message naming each of them", () => {
    expect(queryProblem("/leaderboard", q("period=year&page=0"))).toBe(
      "Bad leaderboard query: period: must be one of day, week, all; page: must be an integer from 1 to 1000",
    );
    expect(queryProblem("/leaderboard/", q("sort=name&x=1"))).toBe(
      "Bad leaderboard query: unknown parameters sort, x",
    );
    expect(queryProblem("/replays", q("page=1&page=2"))).toBe(
      "Bad replay list query: page: given 2 times, once at most",
    );
    expect(queryProblem("/replays", q("surface=a/b"))).toMatch(/^Bad replay list query: surface:/);
    expect(queryProblem("/replays/abc", q("turn=1.5"))).toBe(
      "Bad replay query: turn: must be an integer from 0 to 100",
    );
    expect(parseReplayListQuery({ nickname: ["a", "b"] })).toEqual({
      ok: false,
      message: "Bad replay list query: nickname: given 2 times, once at most",
    });
  });

  it("leave good queries, other pages and Next.js's _rsc parameter alone", () => {
    expect(queryProblem("/leaderboard", q("period=day&_rsc=abc"))).toBeNull();
    expect(queryProblem("/replays/abc", q("turn=3"))).toBeNull();
    expect(queryProblem("/room/ABC123", q("anything=1"))).toBeNull();
    expect(queryProblem("/replays/abc/def", q("turn=x"))).toBeNull();
  });

  it("build links that keep the filters, change one and drop blank ones", () => {
    const values = { surface: "booth", competition: "", page: "2" };
    expect(hrefWith("/leaderboard", values, { page: "3" })).toBe(
      "/leaderboard?surface=booth&page=3",
    );
    expect(hrefWith("/leaderboard", values, { page: null, surface: null })).toBe("/leaderboard");
  });

  it("escape the message in the 400 page", () => {
    const html = badRequestHtml('surface: "<script>"', "/replays");
    expect(html).toContain("surface: &#34;&#60;script&#62;&#34;");
    expect(html).not.toContain("<script>");
    expect(html).toContain('href="/replays"');
  });
});
