import { encode } from 'uqr';

/**
 * A QR code drawn as SVG in the browser: the invite's token never leaves the page for an image
 * service. Medium error correction survives a scratched or dim phone screen; the quiet zone is kept.
 */
export default function QrCode({ text, label }: { text: string; label: string }) {
  const { data, size } = encode(text, { ecc: 'M', border: 2 });
  let path = '';
  for (let y = 0; y < size; y++) {
    const row = data[y] ?? [];
    for (let x = 0; x < size; x++) if (row[x]) path += `M${x} ${y}h1v1h-1z`;
  }
  return (
    <svg viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label} shapeRendering="crispEdges" width="200" height="200">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
