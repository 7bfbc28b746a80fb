import { SponsorRegistration } from '@cds/contract';
import { describe, expect, it } from 'vitest';
import { emptyRegistration, registrationBody, validateRegistration, type RegistrationForm } from './sponsor-rules';

const good = (): RegistrationForm => ({
  ...emptyRegistration(),
  name: 'Công ty TNHH Nhân Ái',
  taxCode: '0312345678',
  contactName: 'Nguyễn Văn Bình',
  contactPhone: '0912 345 678',
  username: 'nhanai.vn',
  password: 'mat-khau-dai-du',
  passwordAgain: 'mat-khau-dai-du',
});

describe('validateRegistration', () => {
  it('passes a complete form, and its body passes the server’s schema', () => {
    expect(validateRegistration(good())).toEqual({});
    expect(SponsorRegistration.safeParse(registrationBody(good())).success).toBe(true);
  });

  it.each([
    ['a business without a tax code', { taxCode: '' }, 'taxCode', 'dsRegister.taxRequired'],
    ['a tax code of nine digits', { taxCode: '031234567' }, 'taxCode', 'dsRegister.taxInvalid'],
    ['no contact person', { contactName: ' ' }, 'contactName', 'dsRegister.contactRequired'],
    ['a phone of five digits', { contactPhone: '12345' }, 'contactPhone', 'dsRegister.phoneInvalid'],
    ['an email without a domain', { contactEmail: 'binh@' }, 'contactEmail', 'dsRegister.emailInvalid'],
    ['a username with diacritics', { username: 'nhà-tài-trợ' }, 'username', 'dsRegister.usernameChars'],
    ['a username of three letters', { username: 'abc' }, 'username', 'dsRegister.usernameLength'],
    ['a short password', { password: 'ngan', passwordAgain: 'ngan' }, 'password', 'dsRegister.passwordShort'],
    ['passwords that differ', { passwordAgain: 'mat-khau-khac-nhe' }, 'passwordAgain', 'dsRegister.passwordMismatch'],
  ] as const)('flags %s where the server would', (_what, change, field, key) => {
    const form = { ...good(), ...change };
    const problems = validateRegistration(form);
    if (key) expect(problems[field]?.key).toBe(key);
    // Whatever the form flags, the server's schema or its phone check refuses too.
    const parsed = SponsorRegistration.safeParse(registrationBody(form));
    if (field !== 'contactPhone' && field !== 'passwordAgain') expect(parsed.success).toBe(false);
  });

  it('lets an individual leave the tax code out, and says why a phone is wrong in Vietnamese', () => {
    expect(validateRegistration({ ...good(), kind: 'individual', taxCode: '' })).toEqual({});
    expect(validateRegistration({ ...good(), contactPhone: '+1 415 555 0100' }).phoneMessage).toMatch(/Việt Nam/);
  });

  it('accepts a phone written with the country code and a branch’s tax code', () => {
    expect(validateRegistration({ ...good(), contactPhone: '+84 912 345 678', taxCode: '0312345678-001' })).toEqual({});
  });
});
