"use client";

import { useEffect, useState } from "react";

/** A QR code of a URL (rendered locally by the qrcode package). */
export function QrCode({ url, className }: { url: string; className?: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import("qrcode").then((QR) =>
      QR.toDataURL(url, { margin: 1, scale: 10, errorCorrectionLevel: "M" }).then((data) => {
        if (live) setSrc(data);
      }),
    );
    return () => {
      live = false;
    };
  }, [url]);
  if (!src) return <div className={className} aria-busy="true" />;
  // A data URL made here: no remote image, nothing for next/image to optimise.
  // eslint-disable-next-line @next/next/no-img-element
  return <img src={src} alt={`QR code for ${url}`} className={className} data-testid="qr" />;
}
