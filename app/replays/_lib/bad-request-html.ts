/**
 * The 400 page the proxy sends for bad query parameters: a small self-contained HTML document
 * (the proxy runs before the app renders) in the app's colours, naming the bad parameter.
 */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The document for `message`; `pathname` is the page whose query was refused. */
export function badRequestHtml(message: string, pathname: string): string {
  const path = pathname.startsWith("/replays/") ? pathname : pathname.replace(/\/+$/, "");
  const reset =
    path === "/leaderboard"
      ? { href: "/leaderboard", label: "Show the whole leaderboard" }
      : path === "/replays"
        ? { href: "/replays", label: "Show every replay" }
        : { href: path, label: "Open the replay at its last turn" };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="#0f172a">
<title>Bad request · Blind Descent</title>
<style>
  html, body { margin: 0; background: #0f172a; color: #f1f5f9; line-height: 1.5;
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
  main { max-width: 960px; margin: 0 auto; padding: 1.25rem; }
  h1 { font-size: clamp(2rem, 6vw, 3.25rem); margin: 1rem 0 0.25rem; }
  a { color: #38bdf8; }
  a:focus-visible { outline: 3px solid #fbbf24; outline-offset: 2px; }
  .card { background: #1e293b; border-radius: 12px; padding: 1rem 1.25rem; margin: 1rem 0;
    border-left: 4px solid #f87171; overflow-wrap: anywhere; }
</style>
</head>
<body>
<main>
<p><a href="/">← Blind Descent</a></p>
<h1>Bad request</h1>
<div class="card" role="alert" data-testid="bad-request"><p><strong>400:</strong> ${escapeHtml(message)}</p></div>
<p><a href="${escapeHtml(reset.href)}">${escapeHtml(reset.label)}</a></p>
</main>
</body>
</html>
`;
}
