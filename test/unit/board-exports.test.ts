import { csvCell, defuseFormula, toCsv } from '../../server/http/csv';

describe('CSV export cells', () => {
  it('defuses cells that a spreadsheet would run as formulas', () => {
    expect(defuseFormula('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(defuseFormula('+86 139')).toBe("'+86 139");
    expect(defuseFormula('-1')).toBe("'-1");
    expect(defuseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(defuseFormula('\tcmd')).toBe("'\tcmd");
    expect(defuseFormula('兴桥镇 = ok')).toBe('兴桥镇 = ok');
  });

  it('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=1+1,2')).toBe('"\'=1+1,2"');
  });

  it('writes a BOM, CRLF line ends and a trailing CRLF', () => {
    const csv = toCsv(['编号', '标题'], [['A-1', '维修,道路']]);
    expect(csv.startsWith('\uFEFF编号,标题\r\n')).toBe(true);
    expect(csv).toBe('\uFEFF编号,标题\r\nA-1,"维修,道路"\r\n');
  });
});
