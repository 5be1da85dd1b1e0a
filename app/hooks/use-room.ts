"use client";

import { useMemo, useSyncExternalStore } from "react";
import { INITIAL_ROOM_STATE, roomClient } from "../lib/room-client";
import type { RoomClient, RoomClientState } from "../lib/room-client";

/**
 * The room `code` as this browser sees it, and the client whose methods are the UI's actions.
 * Subscribing starts the connection; the socket module reconnects and re-attaches by itself.
 */
export function useRoom(code: string): { state: RoomClientState; client: RoomClient } {
  const client = useMemo(() => roomClient(code), [code]);
  const state = useSyncExternalStore(client.subscribe, client.getState, () => INITIAL_ROOM_STATE);
  return { state, client };
}
