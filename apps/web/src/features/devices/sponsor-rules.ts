import type { SponsorRegistration } from '@cds/contract';
import { normalisePhone } from '@cds/domain/phone';
import type { Problems } from './device-rules';

// The sponsor registration form's own checks, in the server's words (the contract's
// SponsorRegistration); the server checks again and its answer is shown as well.

export type RegistrationForm = {
  kind: SponsorRegistration['kind'];
  name: string;
  taxCode: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  showPublicly: boolean;
  intent: string;
  username: string;
  password: string;
  passwordAgain: string;
};
export type RegistrationField = 'name' | 'taxCode' | 'contactName' | 'contactPhone' | 'contactEmail' | 'intent' | 'username' | 'password' | 'passwordAgain';

export const emptyRegistration = (): RegistrationForm => ({
  kind: 'business',
  name: '',
  taxCode: '',
  contactName: '',
  contactPhone: '',
  contactEmail: '',
  // Being named in public is a choice the sponsor makes, never a box found ticked.
  showPublicly: false,
  intent: '',
  username: '',
  password: '',
  passwordAgain: '',
});

const TAX_CODE = /^\d{10}(-\d{3})?$/;
const USERNAME = /^[a-zA-Z0-9._-]+$/;
// The browser's own idea of an address (input type=email), not a full RFC parser.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateRegistration(f: RegistrationForm): Problems<RegistrationField> & { phoneMessage?: string } {
  const e: Problems<RegistrationField> & { phoneMessage?: string } = {};
  const name = f.name.trim();
  if (name.length < 2) e.name = { key: 'dsRegister.nameRequired' };
  else if (name.length > 200) e.name = { key: 'dsRegister.nameLong' };
  const tax = f.taxCode.trim();
  if (tax === '' && f.kind === 'business') e.taxCode = { key: 'dsRegister.taxRequired' };
  else if (tax !== '' && !TAX_CODE.test(tax)) e.taxCode = { key: 'dsRegister.taxInvalid' };
  if (f.contactName.trim().length < 2) e.contactName = { key: 'dsRegister.contactRequired' };
  const phone = normalisePhone(f.contactPhone);
  if (!phone.ok) {
    e.contactPhone = { key: 'dsRegister.phoneInvalid' };
    // The domain's message says exactly what is wrong with the number, in Vietnamese.
    e.phoneMessage = phone.message;
  }
  const email = f.contactEmail.trim();
  if (email !== '' && !EMAIL.test(email)) e.contactEmail = { key: 'dsRegister.emailInvalid' };
  if (f.intent.trim().length > 500) e.intent = { key: 'dsRegister.intentLong' };
  const username = f.username.trim();
  if (username.length < 4 || username.length > 60) e.username = { key: 'dsRegister.usernameLength' };
  else if (!USERNAME.test(username)) e.username = { key: 'dsRegister.usernameChars' };
  if (f.password.length < 10) e.password = { key: 'dsRegister.passwordShort' };
  else if (f.password !== f.passwordAgain) e.passwordAgain = { key: 'dsRegister.passwordMismatch' };
  return e;
}

/** The request body the server expects, from a form that passed validateRegistration. */
export function registrationBody(f: RegistrationForm) {
  const optional = (text: string) => (text.trim() === '' ? undefined : text.trim());
  return {
    kind: f.kind,
    name: f.name.trim(),
    taxCode: optional(f.taxCode),
    contactName: f.contactName.trim(),
    contactPhone: f.contactPhone.trim(),
    contactEmail: optional(f.contactEmail),
    showPublicly: f.showPublicly,
    intent: optional(f.intent),
    username: f.username.trim(),
    password: f.password,
  };
}
