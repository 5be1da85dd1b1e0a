import type { Metadata } from "next";
import { joinAddress } from "../../join-address";
import { HostConsole } from "./host-console";

export const metadata: Metadata = { title: "Host console" };

/** /classroom/[code]/host: the teacher's controls (the host token stays in this browser). */
export default async function HostPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const join = await joinAddress();
  return <HostConsole code={code.toUpperCase()} join={join} />;
}
