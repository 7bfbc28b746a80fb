import type { CertificatePublic } from '@cds/contract';
import { useEffect, useState, type FormEvent } from 'react';
import * as api from './api';
import { navigate, paths } from './routes';
import { PageTitle, errorText } from './ui';

type Check = { state: 'idle' } | { state: 'checking' } | { state: 'valid'; certificate: CertificatePublic } | { state: 'invalid'; message: string };

/** The public page behind a certificate's QR code: what the certificate states, or that the code is not real. */
export function VerifyScreen(props: { code: string | null }) {
  const [typed, setTyped] = useState(props.code ?? '');
  const [check, setCheck] = useState<Check>({ state: 'idle' });

  useEffect(() => {
    if (!props.code) return setCheck({ state: 'idle' });
    setTyped(props.code);
    setCheck({ state: 'checking' });
    api.verifyCertificate(props.code).then(
      (certificate) => setCheck({ state: 'valid', certificate }),
      (error: unknown) =>
        setCheck({
          state: 'invalid',
          message: error instanceof api.JsonApiError && error.status === 404 ? 'Không có giấy chứng nhận nào mang mã này. Mã bị gõ sai, hoặc giấy chứng nhận là giả.' : errorText(error),
        }),
    );
  }, [props.code]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (typed.trim()) navigate(paths.verify(typed.trim().toUpperCase()));
  };

  return (
    <>
      <PageTitle sub="Quét mã QR trên giấy chứng nhận, hoặc nhập mã in trên đó.">Xác minh giấy chứng nhận</PageTitle>
      <form className="l-card l-form" onSubmit={submit} noValidate>
        <label htmlFor="cert-code">Mã xác minh</label>
        <input id="cert-code" autoComplete="off" autoCapitalize="characters" spellCheck={false} placeholder="CDS-XXXX-XXXX-XXXX" value={typed} onChange={(e) => setTyped(e.target.value)} />
        <button type="submit" className="l-btn">
          Kiểm tra
        </button>
      </form>
      {check.state === 'checking' && (
        <p className="l-muted" role="status">
          Đang kiểm tra…
        </p>
      )}
      {check.state === 'invalid' && (
        <p className="l-alert bad" role="alert">
          <strong>✗ Không hợp lệ.</strong> {check.message}
        </p>
      )}
      {check.state === 'valid' && (
        <section className="l-card l-verified" aria-labelledby="verified-title" role="status">
          <h2 id="verified-title">✓ Giấy chứng nhận hợp lệ</h2>
          <dl>
            <dt>Cấp cho</dt>
            <dd>
              {check.certificate.learnerName}
              <span className="l-meta">{check.certificate.nameVerified ? 'Tên theo hồ sơ dân cư đã xác thực' : 'Tên do người học tự khai, chưa xác thực'}</span>
            </dd>
            <dt>{check.certificate.kind === 'basic_path' ? 'Hoàn thành lộ trình' : 'Hoàn thành khoá học'}</dt>
            <dd>{check.certificate.title}</dd>
            <dt>Ngày cấp</dt>
            <dd>{check.certificate.issuedOn.split('-').reverse().join('/')}</dd>
            <dt>Cơ quan cấp</dt>
            <dd>{check.certificate.issuer}</dd>
            <dt>Mã</dt>
            <dd className="l-code">{check.certificate.code}</dd>
          </dl>
          <p className="l-muted">Hãy so tên với giấy tờ tùy thân của người đưa giấy chứng nhận.</p>
        </section>
      )}
    </>
  );
}
