import { headers } from "next/headers";

/**
 * The address students join at, for the projector's QR code and the host console (issue 13),
 * computed on the server so the page renders the same text on the server and in the browser.
 * Order: `PUBLIC_URL`; the address this page was opened at when it is not a loopback one (the
 * teacher's browser reached it, so can the class); the machine's LAN address found when the
 * server started (server/public-url.ts leaves it in BLIND_DESCENT_JOIN_BASE); else localhost,
 * with a warning for the teacher.
 */
export interface JoinAddress {
  /** Origin without a trailing slash, e.g. `http://192.168.1.20:3000`. */
  readonly base: string;
  /** Shown to the teacher when phones probably cannot reach `base`. */
  readonly warning: string | null;
}

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;

interface PublishedBase {
  url: string;
  source: string;
  warning: string | null;
}

function published(): PublishedBase | null {
  const raw = process.env.BLIND_DESCENT_JOIN_BASE;
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as PublishedBase;
    return typeof parsed.url === "string" ? parsed : null;
  } catch {
    return null;
  }
}

export async function joinAddress(): Promise<JoinAddress> {
  const server = published();
  if (server?.source === "PUBLIC_URL") return { base: server.url, warning: null };
  const h = await headers();
  const host = (h.get("x-forwarded-host") ?? h.get("host") ?? "").split(",")[0]!.trim();
  const proto = (h.get("x-forwarded-proto") ?? "http").split(",")[0]!.trim();
  if (host && !LOOPBACK_HOST.test(host)) return { base: `${proto}://${host}`, warning: null };
  if (server && server.source !== "localhost") return { base: server.url, warning: null };
  return {
    base: server?.url ?? (host ? `${proto}://${host}` : ""),
    warning:
      server?.warning ??
      "This address only works on this computer: students' phones cannot open it. Set PUBLIC_URL or start the server with HOST=0.0.0.0 on the class's network.",
  };
}
