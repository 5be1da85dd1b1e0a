/**
 * The address students type or scan to join (issue 13): the projector's QR code and join URL must
 * never point at `localhost` when the machine has a LAN address. In order of preference:
 * `PUBLIC_URL` when set (a reverse proxy, a tunnel, a DNS name), the address the server is bound
 * to when it is a specific one, else the machine's first private IPv4 address; when only the
 * loopback is known the URL is localhost and a warning says why phones cannot reach it.
 *
 * The server computes it once it listens and hands it to the pages through the process
 * environment ({@link JOIN_BASE_ENV}), since Next.js runs in the same process.
 */
import { networkInterfaces } from "node:os";
import type { NetworkInterfaceInfo } from "node:os";

/** Where main.ts leaves the result for the pages (JSON of {@link JoinBase}). */
export const JOIN_BASE_ENV = "BLIND_DESCENT_JOIN_BASE";

export interface JoinBase {
  /** Origin (and optional path prefix) without a trailing slash, e.g. `http://192.168.1.20:3000`. */
  readonly url: string;
  readonly source: "PUBLIC_URL" | "bound" | "lan" | "localhost";
  /** Set when students' phones probably cannot reach `url`. */
  readonly warning: string | null;
}

export interface JoinBaseInput {
  /** `PUBLIC_URL` from the environment (may be undefined or empty). */
  readonly publicUrl: string | undefined;
  /** The interface the server is bound to (`HOST`). */
  readonly host: string;
  readonly port: number;
  /** os.networkInterfaces() (injected by the tests). */
  readonly interfaces?: NodeJS.Dict<NetworkInterfaceInfo[]>;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/i;
const ANY = /^(0\.0\.0\.0|::|\[::\]|)$/;
/** Interfaces of containers, virtual machines and VPNs: phones in the room are not on them. */
const VIRTUAL = /^(docker|br-|veth|virbr|vmnet|vboxnet|cni|flannel|tun|tap|utun|wg|zt|tailscale)/i;

function isPrivateV4(address: string): boolean {
  const [a, b] = address.split(".").map(Number) as [number, number];
  return a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31);
}

/** Validate `PUBLIC_URL`: an http(s) URL; throws a sentence naming the variable otherwise. */
export function parsePublicUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`PUBLIC_URL must be a full URL such as http://192.168.1.20:3000, got "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`PUBLIC_URL must start with http:// or https://, got "${raw}"`);
  }
  if (url.search || url.hash) {
    throw new Error(`PUBLIC_URL must not have a query or a fragment, got "${raw}"`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** The join base for this server (pure but for os.networkInterfaces() when none is given). */
export function joinBase(input: JoinBaseInput): JoinBase {
  if (input.publicUrl && input.publicUrl.trim() !== "") {
    return { url: parsePublicUrl(input.publicUrl.trim()), source: "PUBLIC_URL", warning: null };
  }
  const port = input.port;
  const hostPort = (h: string) => `http://${h.includes(":") ? `[${h}]` : h}:${port}`;
  if (LOOPBACK.test(input.host)) {
    return {
      url: hostPort("localhost"),
      source: "localhost",
      warning: `The server listens on ${input.host} only, so phones cannot reach it: start it with HOST=0.0.0.0, or set PUBLIC_URL.`,
    };
  }
  if (!ANY.test(input.host)) {
    return { url: hostPort(input.host), source: "bound", warning: null };
  }
  const all = Object.entries(input.interfaces ?? networkInterfaces()).flatMap(([name, list]) =>
    (list ?? [])
      .filter((i) => !i.internal && i.family === "IPv4")
      .map((i) => ({ name, address: i.address })),
  );
  // A classroom's Wi-Fi or Ethernet first: private ranges, not a container or VPN bridge.
  const rank = (i: { name: string; address: string }) =>
    (VIRTUAL.test(i.name) ? 4 : 0) +
    (i.address.startsWith("192.168.")
      ? 0
      : i.address.startsWith("10.")
        ? 1
        : isPrivateV4(i.address)
          ? 2
          : 3);
  const best = [...all].sort((a, b) => rank(a) - rank(b))[0];
  if (best) return { url: hostPort(best.address), source: "lan", warning: null };
  return {
    url: hostPort("localhost"),
    source: "localhost",
    warning:
      "This machine has no network address, so phones cannot reach it: connect it to the class's network (Wi-Fi), or set PUBLIC_URL.",
  };
}

/** Compute the join base once the server listens and publish it to the pages. */
export function publishJoinBase(host: string, port: number): JoinBase {
  const base = joinBase({ publicUrl: process.env.PUBLIC_URL, host, port });
  process.env[JOIN_BASE_ENV] = JSON.stringify(base);
  return base;
}
