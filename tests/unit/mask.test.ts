import { describe, expect, it } from 'vitest';
import { maskName } from '../../server/src/domain/mask.js';

describe('scoreboard name masking', () => {
  it('keeps the first word (or only initials), and no hidden word shows its length', () => {
    expect(maskName('Muhammad Abdurrahman Wahyu', 'first-word')).toBe('MUHAMMAD A*** W***');
    expect(maskName('  Budi   Santoso ', 'initials')).toBe('B*** S***');
    expect(maskName('Siti Nurhaliza', 'none')).toBe('SITI NURHALIZA');
    // two names that differ only in the hidden words' lengths look alike
    expect(maskName('Dian Sastrowardoyo', 'first-word')).toBe(maskName('Dian Susanti', 'first-word'));
    expect(maskName('Ömer Ürgüp', 'initials')).toBe('Ö*** Ü***');
  });
});
