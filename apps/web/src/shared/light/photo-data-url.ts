/**
 * A photo from the camera as a JPEG data URL small enough to keep offline and send: the long side
 * scaled to at most `maxSide` pixels, the quality lowered until it fits `maxChars` (a phone's
 * 12-megapixel photo is ~4 MB; the server takes at most 600,000 characters).
 */
export async function photoDataUrl(file: Blob, options: { maxSide?: number; maxChars?: number } = {}): Promise<string> {
  const maxSide = options.maxSide ?? 1024;
  const maxChars = options.maxChars ?? 550_000;
  const url = URL.createObjectURL(file);
  try {
    const img = await new Promise<HTMLImageElement>((resolve, reject) => {
      const i = new Image();
      i.onload = () => resolve(i);
      i.onerror = () => reject(new Error('Không đọc được ảnh'));
      i.src = url;
    });
    let side = maxSide;
    // Smaller pictures before worse ones: below quality 0.5 a face or a box's label smears.
    for (;;) {
      const scale = Math.min(1, side / Math.max(img.naturalWidth, img.naturalHeight));
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
      canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
      canvas.getContext('2d')?.drawImage(img, 0, 0, canvas.width, canvas.height);
      for (const quality of [0.8, 0.65, 0.5]) {
        const out = canvas.toDataURL('image/jpeg', quality);
        if (out.length <= maxChars) return out;
      }
      if (side <= 320) throw new Error('Ảnh quá lớn');
      side = Math.round(side * 0.75);
    }
  } finally {
    URL.revokeObjectURL(url);
  }
}
