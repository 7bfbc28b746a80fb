import { useEffect, useRef, useState } from 'react';

/** The pad's words, from the page's dictionary (officials' app) or written in (field app). */
export interface SignaturePadLabels {
  area: string;
  signHere: string;
  clear: string;
}

/**
 * The recipient signs with a finger, a stylus or a mouse. Pointer events cover all three;
 * `touch-action: none` keeps the page from scrolling under the finger. The drawing is handed up
 * as a PNG data URL after each stroke (null once cleared, or while nothing is drawn).
 * Shared by the officials' handover form and the field app, so it takes no i18n context and no
 * stylesheet of either: the classes `signature*` are styled by each page, the button's by `clearClassName`.
 */
export function SignaturePad({
  id,
  onChange,
  labels,
  clearClassName,
  describedBy,
  invalid,
}: {
  id: string;
  onChange: (dataUrl: string | null) => void;
  labels: SignaturePadLabels;
  clearClassName: string;
  describedBy?: string | undefined;
  invalid?: boolean | undefined;
}) {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const drawing = useRef(false);
  const last = useRef<{ x: number; y: number } | null>(null);
  const [empty, setEmpty] = useState(true);

  // The canvas is as many device pixels as it shows, so strokes stay sharp on a phone.
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const ratio = window.devicePixelRatio || 1;
    const size = () => {
      const rect = el.getBoundingClientRect();
      el.width = Math.max(1, Math.round(rect.width * ratio));
      el.height = Math.max(1, Math.round(rect.height * ratio));
      const ctx = el.getContext('2d');
      if (!ctx) return;
      ctx.scale(ratio, ratio);
      ctx.lineWidth = 2.5;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.strokeStyle = '#10233f';
    };
    size();
    // A new size clears the drawing: say so by asking for it again rather than keeping a stretched one.
    const observer = new ResizeObserver(() => {
      const rect = el.getBoundingClientRect();
      if (Math.round(rect.width * ratio) === el.width) return;
      size();
      setEmpty(true);
      onChange(null);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [onChange]);

  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };

  function down(e: React.PointerEvent<HTMLCanvasElement>) {
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    drawing.current = true;
    const p = point(e);
    last.current = p;
    const ctx = e.currentTarget.getContext('2d');
    if (ctx) {
      // A tap leaves a dot.
      ctx.beginPath();
      ctx.arc(p.x, p.y, 1.2, 0, Math.PI * 2);
      ctx.fillStyle = '#10233f';
      ctx.fill();
    }
  }

  function move(e: React.PointerEvent<HTMLCanvasElement>) {
    if (!drawing.current || !last.current) return;
    const ctx = e.currentTarget.getContext('2d');
    if (!ctx) return;
    const p = point(e);
    ctx.beginPath();
    ctx.moveTo(last.current.x, last.current.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last.current = p;
  }

  function up(e: React.PointerEvent<HTMLCanvasElement>) {
    if (!drawing.current) return;
    drawing.current = false;
    last.current = null;
    setEmpty(false);
    onChange(e.currentTarget.toDataURL('image/png'));
  }

  function clear() {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, el.width, el.height);
    ctx.restore();
    setEmpty(true);
    onChange(null);
  }

  return (
    <div className={`signature${invalid ? ' is-invalid' : ''}`}>
      <canvas
        id={id}
        ref={canvas}
        className="signature-canvas"
        role="img"
        aria-label={labels.area}
        aria-describedby={describedBy}
        tabIndex={0}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      />
      {empty && (
        <span className="signature-placeholder" aria-hidden="true">
          {labels.signHere}
        </span>
      )}
      <button type="button" className={`${clearClassName} signature-clear`} onClick={clear} disabled={empty}>
        {labels.clear}
      </button>
    </div>
  );
}
