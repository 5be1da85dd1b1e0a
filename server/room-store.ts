import type { Room } from "./room";

/**
 * Where the live rooms are kept. The in-memory store is the only one today; the interface is the
 * seam for running rooms on several nodes later (a store that routes a code to its node, with the
 * Socket.IO Redis adapter). Nothing else in server/ keeps rooms, so no game state sits in module
 * globals.
 */
export interface RoomStore {
  get(code: string): Room | undefined;
  has(code: string): boolean;
  add(room: Room): void;
  delete(code: string): void;
  /** Every live room (for shutdown and statistics). */
  all(): Iterable<Room>;
  readonly size: number;
}

/** Rooms in a Map, in this process. */
export class MemoryRoomStore implements RoomStore {
  private readonly rooms = new Map<string, Room>();

  get(code: string): Room | undefined {
    return this.rooms.get(code);
  }

  has(code: string): boolean {
    return this.rooms.has(code);
  }

  add(room: Room): void {
    if (this.rooms.has(room.code)) throw new Error(`room ${room.code} already exists`);
    this.rooms.set(room.code, room);
  }

  delete(code: string): void {
    this.rooms.delete(code);
  }

  all(): Iterable<Room> {
    return [...this.rooms.values()];
  }

  get size(): number {
    return this.rooms.size;
  }
}
