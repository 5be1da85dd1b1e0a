import type { MetadataRoute } from "next";

/** The web app manifest (`/manifest.webmanifest`): a class can "add to home screen". */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Blind Descent",
    short_name: "Blind Descent",
    description:
      "Find the lowest point of a hidden landscape by gradient descent: a classroom game.",
    start_url: "/",
    display: "standalone",
    background_color: "#0f172a",
    theme_color: "#0f172a",
    icons: [{ src: "/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" }],
  };
}
