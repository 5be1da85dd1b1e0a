import type { Metadata } from "next";
import { joinAddress } from "../../join-address";
import { ProjectorView } from "./projector-view";

export const metadata: Metadata = { title: "Projector" };

/** /classroom/[code]/projector: the big screen (a spectator: no token needed). */
export default async function ProjectorPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const join = await joinAddress();
  return <ProjectorView code={code.toUpperCase()} join={join} variant="projector" />;
}
