import { FieldHandoverSend, type FieldHandoverDue } from '@cds/contract';
import { describe, expect, it } from 'vitest';
import { buildHandover, cleanCode, emptyHandover, validateHandover, type HandoverDraft } from './handover-draft';

const due: FieldHandoverDue = { allocationId: 12, sponsorName: 'Công ty A', model: 'Galaxy A06 4G', network: '4g', scheduledFor: '2026-12-02', recipient: { residentId: 5, fullName: 'Lê Thị Sáu' } };
const ids = { clientHandoverId: '5b0c6f1e-2d4a-4c1b-9e1f-0a1b2c3d4e5f', handedOverAt: '2026-12-02T10:00:00.000+07:00' };
const VALID_IMEI = '35 209900 176148 1';
const good = (patch: Partial<HandoverDraft> = {}): HandoverDraft => ({ ...emptyHandover(), imei: VALID_IMEI, code: '123456', photoSkippedNote: 'Không muốn chụp', consent: true, ...patch });

describe('validateHandover', () => {
  it('asks for every field of an empty form, in Vietnamese', () => {
    expect(validateHandover(emptyHandover())).toEqual({
      imei: 'Chưa nhập số IMEI',
      code: 'Mã xác nhận của người nhận gồm 6 chữ số',
      photoSkippedNote: 'Chụp ảnh bàn giao, hoặc ghi lý do không chụp (ít nhất 3 ký tự)',
      consent: 'Hỏi người nhận có đồng ý cho nhà tài trợ biết tên không',
    });
  });

  it('checks the IMEI with the server’s rule: 15 digits and the Luhn check digit', () => {
    expect(validateHandover(good())).toEqual({});
    expect(validateHandover(good({ imei: '352099001761482' })).imei).toMatch(/chữ số kiểm tra/);
    expect(validateHandover(good({ imei: '35209900176148' })).imei).toBe('Số IMEI gồm 15 chữ số (đang có 14)');
    expect(validateHandover(good({ imei: '000000000000000' })).imei).toBe('Số IMEI không hợp lệ');
  });

  it('asks for a drawn signature instead of the code when the recipient signs', () => {
    expect(validateHandover(good({ confirmBy: 'signature', code: '' }))).toEqual({ signature: 'Mời người nhận ký vào khung' });
    expect(validateHandover(good({ confirmBy: 'signature', code: '', signature: 'data:image/png;base64,iVBORw0KGgo=' }))).toEqual({});
    expect(validateHandover(good({ confirmBy: 'signature', signature: `data:image/png;base64,${'A'.repeat(200_000)}` })).signature).toMatch(/quá lớn/);
  });

  it('needs a photo or a reason, and an answer to the consent question (no is an answer)', () => {
    expect(validateHandover(good({ photoSkippedNote: '', photo: 'data:image/jpeg;base64,/9j/' }))).toEqual({});
    expect(validateHandover(good({ photoSkippedNote: ' a ' })).photoSkippedNote).toMatch(/lý do/);
    expect(validateHandover(good({ consent: false }))).toEqual({});
    expect(validateHandover(good({ consent: null })).consent).toBeDefined();
  });
});

describe('buildHandover', () => {
  it('sends the normalised IMEI, the code, the reason for no photo and the answer, in the server’s shape', () => {
    const send = buildHandover(good({ signature: 'data:image/png;base64,iVBORw0KGgo=' }), { householdId: 3, due }, ids);
    expect(send).toEqual({
      kind: 'handover',
      ...ids,
      allocationId: 12,
      householdId: 3,
      imei: '352099001761481',
      confirmationCode: '123456',
      photoSkippedNote: 'Không muốn chụp',
      consentToSponsor: true,
    });
    expect(FieldHandoverSend.safeParse(send).success).toBe(true);
  });

  it('sends the signature and the photo only, when the recipient signed and a photo was taken', () => {
    const send = buildHandover(good({ confirmBy: 'signature', signature: 'data:image/png;base64,iVBORw0KGgo=', photo: 'data:image/jpeg;base64,/9j/4AAQ', consent: false }), { householdId: 3, due }, ids);
    expect(send).not.toHaveProperty('confirmationCode');
    expect(send).not.toHaveProperty('photoSkippedNote');
    expect(send).toMatchObject({ signaturePng: 'data:image/png;base64,iVBORw0KGgo=', photo: 'data:image/jpeg;base64,/9j/4AAQ', consentToSponsor: false });
    expect(FieldHandoverSend.safeParse(send).success).toBe(true);
  });
});

describe('cleanCode', () => {
  it('keeps six digits of what is typed', () => {
    expect(cleanCode('123 456 7')).toBe('123456');
    expect(cleanCode('12a3')).toBe('123');
  });
});
