"use client";

import { useMemo, useSyncExternalStore } from "react";
import { roomClient } from "../lib/room-client";
import type { RoomClient, RoomClientState } from "../lib/room-client";

const SERVER_STATE: RoomClientState = {
  connection: "connecting",
  snapshot: null,
  attached: false,
  ready: false,
  error: null,
  closed: null,
  clockOffset: 0,
};

/**
 * The room `code` as this browser sees it, and the client whose methods are the UI's actions.
 * Subscribing starts the connection; the socket module reconnects and re-attaches by itself.
 */
export function useRoom(code: string): { state: RoomClientState; client: RoomClient } {
  const client = useMemo(() => roomClient(code), [code]);
  const state = useSyncExternalStore(client.subscribe, client.getState, () => SERVER_STATE);
  return { state, client };
}
