import { Decimal } from '../../server/http/money';
import { cleanFileName, sniffDocumentType } from '../../server/listings/documents';
import { checkBand, checkNotice, checkTerms, checkTermsConsistent, ListingTerms } from '../../server/listings/terms';
import { formatListingCode } from '../../server/listings/listings';
import { defaultRules } from '../../server/townships/townships';

const rules = defaultRules(); // procurement 10,000–2,000,000; lease 1,000–2,000,000; 5 days notice
const DAY = 24 * 3600_000;
const now = new Date('2026-11-21T02:00:00Z');

function terms(over: Partial<ListingTerms> = {}): ListingTerms {
  return {
    kind: 'procurement',
    category: 'works',
    title: '村道硬化',
    description: '',
    location: null,
    quantity: null,
    basePrice: new Decimal('50000'),
    depositAmount: new Decimal(0),
    leaseTermMonths: null,
    priceBasis: 'term',
    area: null,
    areaUnit: null,
    bidOpensAt: new Date(now.getTime() + 6 * DAY),
    bidDeadline: new Date(now.getTime() + 10 * DAY),
    method: 'sealed',
    increment: null,
    extensionSeconds: null,
    ...over,
  };
}

describe('value band', () => {
  it('accepts both bounds (inclusive)', () => {
    expect(() => checkBand('procurement', new Decimal('10000.00'), rules)).not.toThrow();
    expect(() => checkBand('procurement', new Decimal('2000000.00'), rules)).not.toThrow();
    expect(() => checkBand('lease', new Decimal('1000.00'), rules)).not.toThrow();
  });
  it('refuses a fen below the minimum with BELOW_THRESHOLD naming the minimum', () => {
    expect(() => checkBand('procurement', new Decimal('9999.99'), rules)).toThrow(
      expect.objectContaining({ status: 422, code: 'BELOW_THRESHOLD', params: { min: '¥10,000.00' } }),
    );
    expect(() => checkBand('lease', new Decimal('999.99'), rules)).toThrow(
      expect.objectContaining({ code: 'BELOW_THRESHOLD' }),
    );
  });
  it('refuses a fen above the maximum with ABOVE_TOWNSHIP_LIMIT', () => {
    expect(() => checkBand('procurement', new Decimal('2000000.01'), rules)).toThrow(
      expect.objectContaining({ status: 422, code: 'ABOVE_TOWNSHIP_LIMIT', details: { maxAmount: '2000000.00' } }),
    );
  });
  it('uses the band of the listing’s kind', () => {
    expect(() => checkBand('lease', new Decimal('5000'), rules)).not.toThrow();
    expect(() => checkBand('procurement', new Decimal('5000'), rules)).toThrow(
      expect.objectContaining({ code: 'BELOW_THRESHOLD' }),
    );
  });
});

describe('notice and consistency', () => {
  it('allows bids to open exactly minNoticeDays after publication, not a second sooner', () => {
    expect(() => checkNotice(new Date(now.getTime() + 5 * DAY), now, 5)).not.toThrow();
    expect(() => checkNotice(new Date(now.getTime() + 5 * DAY - 1000), now, 5)).toThrow(
      expect.objectContaining({ code: 'VALIDATION', fields: { bidOpensAt: expect.anything() } }),
    );
  });
  it('names each inconsistent field', () => {
    try {
      checkTermsConsistent({
        kind: 'lease',
        category: 'works',
        leaseTermMonths: null,
        bidOpensAt: now,
        bidDeadline: now,
        basePrice: new Decimal('5000.00'),
        depositAmount: new Decimal('5000.01'),
      });
      throw new Error('not refused');
    } catch (e) {
      expect(Object.keys((e as { fields: object }).fields).sort()).toEqual([
        'bidDeadline',
        'category',
        'depositAmount',
        'leaseTermMonths',
      ]);
    }
  });
  it('accepts a deposit equal to the base price, not a fen above it', () => {
    expect(() => checkTerms(terms({ depositAmount: new Decimal('50000.00') }), rules, now)).not.toThrow();
    expect(() => checkTerms(terms({ depositAmount: new Decimal('50000.01') }), rules, now)).toThrow(
      expect.objectContaining({ code: 'VALIDATION', fields: { depositAmount: expect.anything() } }),
    );
  });
  it('checks everything together', () => {
    expect(() => checkTerms(terms(), rules, now)).not.toThrow();
    expect(() => checkTerms(terms({ kind: 'lease', category: 'shop', leaseTermMonths: 36 }), rules, now)).not.toThrow();
    expect(() => checkTerms(terms({ basePrice: new Decimal('3000000') }), rules, now)).toThrow(
      expect.objectContaining({ code: 'ABOVE_TOWNSHIP_LIMIT' }),
    );
  });
});

describe('codes and documents', () => {
  it('formats a human code per township and year', () => {
    expect(formatListingCode('XQ', 2026, 7)).toBe('XQ-2026-0007');
    expect(formatListingCode('XQ', 2026, 12345)).toBe('XQ-2026-12345');
  });
  it('recognises PDFs and images by their first bytes, whatever the name says', () => {
    expect(sniffDocumentType(Buffer.from('%PDF-1.7\n...'))).toBe('application/pdf');
    expect(sniffDocumentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffDocumentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffDocumentType(Buffer.from('GIF89a...'))).toBe('image/gif');
    expect(sniffDocumentType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffDocumentType(Buffer.from('MZ\x90\x00 pretending.pdf'))).toBeNull();
    expect(sniffDocumentType(Buffer.from('<html>'))).toBeNull();
  });
  it('cleans file names: no path, no quotes, a fitting extension', () => {
    expect(cleanFileName('C:\\x\\招标文件.pdf', 'application/pdf')).toBe('招标文件.pdf');
    expect(cleanFileName('../../etc/"a"', 'image/png')).toBe('a.png');
    expect(cleanFileName('photo.JPEG', 'image/jpeg')).toBe('photo.JPEG');
  });
});
