"use client";

import { sentence } from "../lib/sentence";
import { useMemo, useSyncExternalStore } from "react";
import type {
  ClientEventName,
  ClientEventResults,
  ClientPayloadInput,
  RoomClosedMessage,
  RoomSnapshot,
} from "../../lib/protocol";
// The messages module has no runtime imports (types only): applyProgress ships no rules code.
import { applyProgress } from "../../lib/protocol/messages";
import { SnapshotStore } from "../lib/snapshot-store";
import { getSocket, request, RequestError } from "../lib/socket";

/**
 * The teacher's side of a competition: the host console (attached with the host token kept in
 * this browser's localStorage, so a reload carries on) and the projector (a spectator: it needs
 * no token and can run on another machine). It keeps the newest `room:state` and re-attaches
 * after every reconnection. Components read it with {@link useClassroom}; they never emit.
 */

/** What a teacher page renders. */
export interface ClassroomState {
  readonly connected: boolean;
  readonly snapshot: RoomSnapshot | null;
  /** Whether the first attach attempt has finished. */
  readonly ready: boolean;
  readonly error: string | null;
  readonly closed: RoomClosedMessage | null;
  /** serverTime − Date.now() at the last snapshot. */
  readonly clockOffset: number;
}

const INITIAL: ClassroomState = {
  connected: false,
  snapshot: null,
  ready: false,
  error: null,
  closed: null,
  clockOffset: 0,
};

const hostKey = (code: string) => `blind-descent:classroom:${code.toUpperCase()}`;

/** The host token saved for a competition, or null. */
export function loadHostToken(code: string): string | null {
  try {
    return window.localStorage.getItem(hostKey(code));
  } catch {
    return null;
  }
}

/** Keep the host token of a competition in this browser. */
export function saveHostToken(code: string, token: string): void {
  try {
    window.localStorage.setItem(hostKey(code), token);
  } catch {
    // Private mode without storage: the console works until the tab closes.
  }
}

/**
 * The host link (issue 13): `/classroom/CODE/host#host=TOKEN` opens the console on another device
 * (the teacher's phone, a second laptop). The token travels in the fragment, which browsers never
 * send to a server; this keeps it in the device's storage and removes it from the address bar.
 */
export function adoptHostLink(code: string): void {
  if (typeof window === "undefined") return;
  const match = /^#host=([A-Za-z0-9_-]{16,128})$/.exec(window.location.hash);
  if (!match) return;
  saveHostToken(code, match[1]!);
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
}

/** The host link of a competition, for another device; null without the token here. */
export function hostLinkOf(code: string, base: string): string | null {
  const token = loadHostToken(code);
  return token ? `${base}/classroom/${code}/host#host=${token}` : null;
}

/** A sentence for people from a refusal. */
export function errorText(e: unknown): string {
  const raw = e instanceof Error ? e.message : "Something went wrong. Try again.";
  return sentence(raw);
}

/** Create a competition; keeps the host token and resolves with the code. */
export async function createClassroom(
  payload: ClientPayloadInput<"classroom:create">,
): Promise<string> {
  const result = await request("classroom:create", payload);
  saveHostToken(result.code, result.hostToken);
  return result.code;
}

type Role = "host" | "projector";

class ClassroomConnection extends SnapshotStore<ClassroomState> {
  constructor(
    readonly code: string,
    readonly role: Role,
  ) {
    super(INITIAL);
  }

  protected start(): void {
    const socket = getSocket();
    socket.on("room:state", (snapshot) => {
      if (snapshot.code !== this.code) return;
      const current = this.state.snapshot;
      if (current && current.rev > snapshot.rev) return;
      this.set({ snapshot, clockOffset: snapshot.serverTime - Date.now() });
    });
    // Who has moved this turn: lib's patch (stale or mismatched patches change nothing).
    socket.on("room:progress", (progress) => {
      const current = this.state.snapshot;
      if (!current || progress.code !== this.code) return;
      const next = applyProgress(current, progress);
      if (next !== current) this.set({ snapshot: next });
    });
    socket.on("room:closed", (message) => {
      if (message.code === this.code) this.set({ closed: message });
    });
    socket.on("connect", () => {
      this.set({ connected: true });
      void this.attach();
    });
    socket.on("disconnect", (reason) => {
      this.set({ connected: false });
      // The server dropped us on purpose (a restart, a node that stopped running the room):
      // Socket.IO does not retry by itself, so connect again and resume (like room-client).
      if (reason === "io server disconnect") socket.connect();
    });
    if (socket.connected) {
      this.set({ connected: true });
      void this.attach();
    }
  }

  private async attach(): Promise<void> {
    try {
      if (this.role === "host") {
        adoptHostLink(this.code);
        const hostToken = loadHostToken(this.code);
        if (!hostToken) {
          this.set({
            ready: true,
            error:
              "This browser does not hold the host token of this competition: open the console from the browser that created it, or scan its host link (“Run the class from another device”).",
          });
          return;
        }
        await request("room:host", { code: this.code, hostToken });
      } else {
        await request("room:watch", { code: this.code });
      }
      const { state } = await request("room:sync", {});
      this.set({
        snapshot: state,
        ready: true,
        error: null,
        clockOffset: state.serverTime - Date.now(),
      });
    } catch (e) {
      if (e instanceof RequestError && e.code === "ALREADY_IN_ROOM") {
        this.set({ ready: true });
        return;
      }
      this.set({ ready: true, error: errorText(e) });
      // R46: the room is moving between server nodes for a moment: ask again shortly.
      if (e instanceof RequestError && e.code === "UNAVAILABLE") {
        setTimeout(() => {
          if (getSocket().connected) void this.attach();
        }, 2_000);
      }
    }
  }

  /** Send a host control with the saved token; resolves true on success (else shows the error). */
  async control<E extends ClientEventName>(
    event: E,
    payload: Omit<ClientPayloadInput<E>, "code" | "hostToken">,
  ): Promise<ClientEventResults[E] | null> {
    const hostToken = loadHostToken(this.code);
    if (!hostToken) {
      this.set({ error: "This browser does not hold the host token of this competition." });
      return null;
    }
    try {
      const result = await request(event, {
        ...payload,
        code: this.code,
        hostToken,
      } as unknown as ClientPayloadInput<E>);
      if (this.state.error) this.set({ error: null });
      return result;
    } catch (e) {
      this.set({ error: errorText(e) });
      return null;
    }
  }

  clearError(): void {
    this.set({ error: null });
  }
}

const connections = new Map<string, ClassroomConnection>();

function connection(code: string, role: Role): ClassroomConnection {
  const key = `${role}:${code.toUpperCase()}`;
  let c = connections.get(key);
  if (!c) {
    c = new ClassroomConnection(code.toUpperCase(), role);
    connections.set(key, c);
  }
  return c;
}

/** The competition `code` as the host console or the projector sees it. */
export function useClassroom(
  code: string,
  role: Role,
): { state: ClassroomState; connection: ClassroomConnection } {
  const c = useMemo(() => connection(code, role), [code, role]);
  const state = useSyncExternalStore(c.subscribe, c.getState, () => INITIAL);
  return { state, connection: c };
}

export type { ClassroomConnection };
