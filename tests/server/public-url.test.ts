import { describe, expect, it } from "vitest";
import type { NetworkInterfaceInfo } from "node:os";
import { joinBase, parsePublicUrl } from "../../server/public-url";

const nic = (address: string, internal = false, family: "IPv4" | "IPv6" = "IPv4") =>
  ({
    address,
    internal,
    family,
    netmask: "",
    mac: "",
    cidr: null,
  }) as unknown as NetworkInterfaceInfo;

const lan = {
  lo: [nic("127.0.0.1", true), nic("::1", true, "IPv6")],
  docker0: [nic("172.17.0.1")],
  wlan0: [nic("fe80::1", false, "IPv6"), nic("192.168.1.20")],
};

describe("the join URL students scan (issue 13)", () => {
  it("PUBLIC_URL wins, trailing slashes trimmed", () => {
    expect(
      joinBase({
        publicUrl: "https://class.example.org/game/",
        host: "0.0.0.0",
        port: 3000,
        interfaces: lan,
      }),
    ).toEqual({ url: "https://class.example.org/game", source: "PUBLIC_URL", warning: null });
  });

  it("a bad PUBLIC_URL is a sentence naming it", () => {
    expect(() => parsePublicUrl("class.example.org")).toThrow(/PUBLIC_URL must be a full URL/);
    expect(() => parsePublicUrl("ftp://x.org")).toThrow(/http:\/\/ or https:\/\//);
    expect(() => parsePublicUrl("http://x.org/?a=1")).toThrow(/query/);
  });

  it("bound to every interface: the first private IPv4 address, never localhost", () => {
    const base = joinBase({ publicUrl: undefined, host: "0.0.0.0", port: 3000, interfaces: lan });
    expect(base.source).toBe("lan");
    // The Wi-Fi, not the container bridge listed first.
    expect(base.url).toBe("http://192.168.1.20:3000");
    expect(base.warning).toBeNull();
    expect(
      joinBase({ publicUrl: "", host: "::", port: 80, interfaces: { eth0: [nic("10.0.0.7")] } })
        .url,
    ).toBe("http://10.0.0.7:80");
    // A public address only: used.
    expect(
      joinBase({
        publicUrl: undefined,
        host: "0.0.0.0",
        port: 1,
        interfaces: { eth0: [nic("8.8.4.4")] },
      }).url,
    ).toBe("http://8.8.4.4:1");
  });

  it("bound to one address: that address", () => {
    expect(
      joinBase({ publicUrl: undefined, host: "192.168.1.5", port: 3000, interfaces: lan }),
    ).toEqual({
      url: "http://192.168.1.5:3000",
      source: "bound",
      warning: null,
    });
  });

  it("only the loopback known: localhost with a warning that says what to do", () => {
    const bound = joinBase({
      publicUrl: undefined,
      host: "127.0.0.1",
      port: 3000,
      interfaces: lan,
    });
    expect(bound.url).toBe("http://localhost:3000");
    expect(bound.warning).toMatch(/HOST=0\.0\.0\.0.*PUBLIC_URL/);
    const offline = joinBase({
      publicUrl: undefined,
      host: "0.0.0.0",
      port: 3000,
      interfaces: { lo: [nic("127.0.0.1", true)] },
    });
    expect(offline.source).toBe("localhost");
    expect(offline.warning).toMatch(/no network address/);
  });
});
