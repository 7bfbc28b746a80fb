import { useI18n } from '../../shared/i18n/i18n-context';
import { SignaturePad as Pad } from '../../shared/light/signature-pad';

/** The shared signature pad (shared/light/, also the field app's) with the officials' words and buttons. */
export function SignaturePad(props: { id: string; onChange: (dataUrl: string | null) => void; describedBy?: string; invalid?: boolean }) {
  const { t } = useI18n();
  return (
    <Pad
      {...props}
      labels={{ area: t('dsHandover.signatureArea'), signHere: t('dsHandover.signHere'), clear: t('dsHandover.clearSignature') }}
      clearClassName="btn btn-ghost btn-sm"
    />
  );
}
