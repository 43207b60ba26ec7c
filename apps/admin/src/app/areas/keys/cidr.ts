import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';

const IPV4_PART = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => IPV4_PART.test(part));
}

function isIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  const all = groups.flat();
  // An IPv4 tail ('::ffff:10.0.0.1') counts as two groups.
  const last = all[all.length - 1];
  const tailIsIpv4 = last !== undefined && last.includes('.');
  if (tailIsIpv4 && !isIpv4(last)) return false;
  const hexGroups = tailIsIpv4 ? all.slice(0, -1) : all;
  if (!hexGroups.every((group) => HEX_GROUP.test(group))) return false;
  const count = hexGroups.length + (tailIsIpv4 ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

/**
 * Whether `text` is a CIDR block ('10.0.0.0/8', '2001:db8::/32') or a single address, as the
 * gateway accepts in `ipAllow`.
 */
export function isCidr(text: string): boolean {
  const [address, prefix, ...rest] = text.trim().split('/');
  if (rest.length || !address) return false;
  const v4 = isIpv4(address);
  if (!v4 && !isIpv6(address)) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (v4 ? 32 : 128);
}

/** The entries of a list typed one per line or separated by commas. */
export function splitList(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A list field of CIDR blocks: `{ cidr: 'the first bad entry' }` when one is not. */
export const cidrListValidator: ValidatorFn = (control: AbstractControl<string | null>): ValidationErrors | null => {
  const bad = splitList(control.value).find((entry) => !isCidr(entry));
  return bad === undefined ? null : { cidr: { entry: bad } };
};
