import type { Metadata } from "next";
import { RoomView } from "./room-view";

export const metadata: Metadata = { title: "Room" };

/** /room/[code]: join, lobby, play, reveal — everything rendered from the server's snapshots. */
export default async function RoomPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <RoomView code={code.toUpperCase()} />;
}
