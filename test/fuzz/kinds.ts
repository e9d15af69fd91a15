/**
 * The catalogue of fuzz variant kinds (issue #8): each derives inputs from the bundled
 * fixtures by one seeded mutation (or a few) and says how to run the CLI on them.
 */
import { addExact, parseExact, ZERO } from './exact.js';
import { countCsvMoney, type Reading } from './money-count.js';
import { CARD_TEXT, col, COST_TEXT, FIXTURE, fixtureBytes, fixtureRows, hostileText, PAYMENT_TEXT, plantInCells, toCsv, USAGE_TEXT } from './gen.js';
import {
  costAndUsage,
  costCell,
  costRows,
  dataRow,
  extraColumn,
  flipped,
  nestedArrays,
  reportArgs,
  scanned,
  scannedOr,
  truncated,
  usageCell,
  usageRows,
  withStatements,
  type Kind,
  type VariantFile,
} from './draft.js';

export const KINDS: Kind[] = [
  {
    kind: 'cost truncated at a random byte',
    build: (c) => {
      const t = truncated(c, toCsv(costRows(c)));
      return costAndUsage(c, { path: 'costs/cost.csv', bytes: t.bytes, money: 'csv' }, t.note);
    },
  },
  {
    kind: 'usage truncated at a random byte',
    build: (c) => {
      const t = truncated(c, toCsv(usageRows(c)));
      const cost: VariantFile = { path: 'costs/cost.csv', bytes: toCsv(costRows(c)), money: 'csv' };
      return { note: t.note, files: [cost, { path: 'usage/usage.csv', bytes: t.bytes }], args: reportArgs(c, [cost.path], ['usage/usage.csv']) };
    },
  },
  {
    kind: 'cost JSON page truncated, in a scanned directory',
    build: (c) => {
      const t = truncated(c, fixtureBytes(FIXTURE.costJson));
      const files: VariantFile[] = [
        { path: 'exports/costs_api.json', bytes: t.bytes, money: 'json' },
        { path: 'exports/cost.csv', bytes: toCsv(costRows(c)), money: 'csv' },
        { path: 'exports/usage.csv', bytes: toCsv(usageRows(c)) },
      ];
      return { note: t.note, files, args: reportArgs(c, ['exports'], ['exports']) };
    },
  },
  {
    kind: 'header repeated mid-file (two cost exports concatenated)',
    build: (c) => {
      const a = costRows(c);
      const b = costRows(c, c.rand.pick([FIXTURE.costLate, FIXTURE.costOld]));
      const cut = c.rand.int(1, a.length - 1);
      return costAndUsage(c, { path: 'costs/cost.csv', bytes: toCsv([...a.slice(0, cut), ...b]), money: 'csv' }, `second export after row ${cut}`);
    },
  },
  {
    kind: 'header repeated mid-file (two usage exports concatenated)',
    build: (c) => {
      const a = usageRows(c);
      const b = usageRows(c, c.rand.pick([FIXTURE.usageMinute, FIXTURE.usageDaily]));
      const cost: VariantFile = { path: 'costs/cost.csv', bytes: toCsv(costRows(c)), money: 'csv' };
      const usage: VariantFile = { path: 'usage/usage.csv', bytes: toCsv([...a, ...b]) };
      return { note: 'usage + usage', files: [cost, usage], args: reportArgs(c, [cost.path], [usage.path]) };
    },
  },
  {
    kind: 'mixed LF/CRLF in the cost export, the header CRLF',
    build: (c) => {
      // CRLF first is the hard case: a reader that takes the first line's ending for all misses the LF-only rows
      const eol = (i: number) => (i === 0 || c.rand.chance(0.5) ? '\r\n' : '\n');
      return costAndUsage(c, { path: 'costs/cost.csv', bytes: toCsv(costRows(c), eol), money: 'csv' }, 'about half the rows end LF');
    },
  },
  {
    kind: 'mixed LF/CRLF in the usage export',
    build: (c) => {
      const cost: VariantFile = { path: 'costs/cost.csv', bytes: toCsv(costRows(c)), money: 'csv' };
      const usage: VariantFile = { path: 'usage/usage.csv', bytes: toCsv(usageRows(c), () => (c.rand.chance(0.3) ? '\r\n' : '\n')) };
      return { note: '30% CRLF', files: [cost, usage], args: reportArgs(c, [cost.path], [usage.path]) };
    },
  },
  {
    kind: 'unbalanced quote in a cost cell',
    build: (c) => {
      const rows = costRows(c);
      const at = c.rand.int(1, rows.length - 2);
      const all = countCsvMoney(toCsv(rows))[0]!.sum;
      const open = parseExact(rows[at]![col(rows[0]!, 'amount_value')]!) ?? ZERO;
      // a reader that finds the open quote may still keep the amount of that row, or not
      const holds: Reading[] = [
        { label: 'every row', sum: all },
        { label: 'every row but the one with the open quote', sum: addExact(all, { units: -open.units, scale: open.scale }) },
      ];
      const text = toCsv(rows)
        .toString('utf8')
        .split('\n')
        .map((line, i) => (i === at ? line.replace(/,proj_/, ',"proj_') : line))
        .join('\n');
      return costAndUsage(c, { path: 'costs/cost.csv', bytes: Buffer.from(text), money: 'csv', holds }, `opening quote on line ${at + 1}, never closed`);
    },
  },
  {
    kind: 'a cost row duplicated exactly within the file',
    build: (c) => {
      const rows = costRows(c);
      const i = c.rand.int(1, rows.length - 1);
      rows.splice(c.rand.int(i + 1, rows.length), 0, [...rows[i]!]);
      return costAndUsage(c, { path: 'costs/cost.csv', bytes: toCsv(rows), money: 'csv' }, `row ${i + 1} repeated`);
    },
  },
  {
    kind: 'a cost row duplicated with a changed amount',
    build: (c) => {
      const rows = costRows(c);
      const i = c.rand.int(1, rows.length - 1);
      const copy = [...rows[i]!];
      copy[col(rows[0]!, 'amount_value')] = `${c.rand.int(1, 99)}.${c.rand.chars(6, '0123456789')}`;
      rows.splice(c.rand.int(i + 1, rows.length), 0, copy);
      return costAndUsage(c, { path: 'costs/cost.csv', bytes: toCsv(rows), money: 'csv' }, `row ${i + 1} repeated with amount ${copy[4]}`);
    },
  },
  { kind: 'hex amount', build: (c) => costCell(c, 'amount_value', (r) => `0x${r.rand.chars(4, '0123456789abcdef')}`) },
  { kind: 'hex token count in usage', build: (c) => usageCell(c, 'input_tokens', '0x1f4') },
  { kind: 'amount 1e309', build: (c) => costCell(c, 'amount_value', () => '1e309') },
  { kind: 'amount of 400 nines', build: (c) => costCell(c, 'amount_value', (r) => (r.rand.chance(0.5) ? '9'.repeat(400) : `0.${'9'.repeat(400)}`)) },
  { kind: 'token count 1e309 in usage', build: (c) => usageCell(c, 'output_tokens', '1e309') },
  { kind: 'token count of 400 nines in usage', build: (c) => usageCell(c, 'input_tokens', '9'.repeat(400)) },
  {
    kind: 'cost start_time 0',
    build: (c) => {
      const rows = costRows(c);
      const row = dataRow(c, rows);
      const whole = c.rand.chance(0.5);
      row[0] = '0';
      if (whole) row[1] = '86400';
      return costAndUsage(c, { path: 'costs/cost.csv', bytes: toCsv(rows), money: 'csv' }, whole ? 'bucket 1970-01-01' : 'bucket from 1970 to 2026');
    },
  },
  {
    kind: 'usage start_time 0',
    build: (c) => usageCell(c, 'start_time', '0'),
  },
  {
    kind: 'empty cost file in a scanned directory',
    build: (c) => scanned(c, { path: 'exports/cost_empty.csv', bytes: Buffer.alloc(0), money: 'csv' }, 'empty file beside good exports'),
  },
  {
    kind: 'empty cost file named explicitly',
    runner: 'child',
    build: (c) => {
      const files: VariantFile[] = [{ path: 'cost.csv', bytes: Buffer.alloc(0), money: 'csv' }];
      return { note: '0 bytes', files, args: reportArgs(c, ['cost.csv'], []) };
    },
  },
  {
    kind: 'BOM-only file in a scanned directory',
    build: (c) => scanned(c, { path: 'exports/cost_bom.csv', bytes: Buffer.from([0xef, 0xbb, 0xbf]), money: 'csv' }, 'EF BB BF and nothing else'),
  },
  {
    kind: 'UTF-8 BOM before GBK bytes in a cost cell',
    build: (c) => {
      const rows = costRows(c);
      const marker = `GBK${c.rand.chars(6)}`;
      dataRow(c, rows)[col(rows[0]!, 'project_name')] = marker;
      const gbk = fixtureBytes(FIXTURE.cmbCard).subarray(0, 20); // the bank's title line, GBK
      const text = toCsv(rows).toString('utf8');
      const at = text.indexOf(marker);
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.slice(0, at)), gbk, Buffer.from(text.slice(at + marker.length))]);
      return costAndUsage(c, { path: 'costs/cost.csv', bytes, money: 'csv' }, 'BOM says UTF-8, one project_name is GBK');
    },
  },
  {
    kind: 'UTF-8 BOM before a GBK bank statement',
    build: (c) =>
      withStatements(c, (files) => {
        files.cmb = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixtureBytes(FIXTURE.cmbCard)]);
        return 'CMB statement (GB18030) behind a UTF-8 BOM';
      }),
  },
  {
    kind: 'binary garbage in a scanned directory',
    build: (c) => scanned(c, { path: 'exports/cost_garbage.csv', bytes: c.rand.bytes(c.rand.int(200, 8000)), money: 'csv' }, 'random bytes named .csv'),
  },
  {
    kind: 'binary garbage named explicitly as a cost export',
    runner: 'child',
    build: (c) => {
      const files: VariantFile[] = [
        { path: 'cost.csv', bytes: c.rand.bytes(c.rand.int(200, 8000)), money: 'csv' },
        { path: 'usage.csv', bytes: toCsv(usageRows(c)) },
      ];
      return { note: 'random bytes', files, args: reportArgs(c, ['cost.csv'], ['usage.csv']) };
    },
  },
  {
    kind: 'a 100k-character cell with a key near the xlsx cell limit',
    build: (c) => {
      const key = c.secrets.key();
      const at = 32767 - c.rand.int(5, 30); // a cell cut at Excel's 32,767 characters would cut the key, not hide it
      const big = `${c.rand.chars(at)}${key}${c.rand.chars(100_000 - at - key.length)}`;
      return costCell(c, c.rand.pick(['project_name', 'line_item', 'user_email']), () => big);
    },
  },
  {
    kind: 'control characters and terminal escapes in cells',
    build: (c) => {
      const rows = costRows(c);
      for (let n = 0; n < 4; n++) dataRow(c, rows)[col(rows[0]!, c.rand.pick(COST_TEXT))] = `${hostileText(c.rand)}${c.rand.chars(3)}`;
      const usage = usageRows(c);
      dataRow(c, usage)[col(usage[0]!, 'model')] = hostileText(c.rand);
      const files: VariantFile[] = [
        { path: 'costs/cost.csv', bytes: toCsv(rows), money: 'csv' },
        { path: 'usage/usage.csv', bytes: toCsv(usage) },
      ];
      return { note: 'ESC, BEL, NUL, C1 CSI in cost and usage cells', files, args: reportArgs(c, ['costs/cost.csv'], ['usage/usage.csv']) };
    },
  },
  {
    kind: 'terminal escapes in a header name',
    runner: 'child',
    build: (c) => extraColumn(c, `${hostileText(c.rand)}_col`, () => 'x'),
  },
  {
    kind: 'keys planted in many cells',
    build: (c) => {
      const rows = costRows(c);
      plantInCells(rows, COST_TEXT, c.secrets, c.rand, 8);
      const usage = usageRows(c);
      plantInCells(usage, USAGE_TEXT, c.secrets, c.rand, 8);
      const files: VariantFile[] = [
        { path: 'costs/cost.csv', bytes: toCsv(rows), money: 'csv' },
        { path: 'usage/usage.csv', bytes: toCsv(usage) },
      ];
      return { note: '8 + 8 more keys', files, args: reportArgs(c, ['costs/cost.csv'], ['usage/usage.csv']) };
    },
  },
  { kind: 'a key as a header name', build: (c) => extraColumn(c, c.secrets.key(), (r) => r.rand.chars(5)) },
  {
    kind: 'a key in a file name',
    build: (c) => {
      const name = `cost-${c.secrets.key(false)}.csv`;
      return costAndUsage(c, { path: `costs/${name}`, bytes: toCsv(costRows(c)), money: 'csv' }, 'key in the cost file name');
    },
  },
  {
    kind: 'a cost column deleted',
    build: (c) => {
      const rows = costRows(c);
      const at = c.rand.int(0, rows[0]!.length - 1);
      const name = rows[0]![at];
      for (const r of rows) r.splice(at, 1);
      return scannedOr(c, { path: 'costs/cost.csv', bytes: toCsv(rows), money: 'csv' }, `column ${name} deleted`);
    },
  },
  {
    kind: 'cost columns shuffled',
    build: (c) => {
      const rows = costRows(c);
      const order = c.rand.shuffle(rows[0]!.map((_, i) => i));
      const shuffled = rows.map((r) => order.map((i) => r[i] ?? ''));
      return costAndUsage(c, { path: 'costs/cost.csv', bytes: toCsv(shuffled), money: 'csv' }, `header ${shuffled[0]!.slice(0, 4).join(',')},…`);
    },
  },
  { kind: 'an extra unknown column', build: (c) => extraColumn(c, c.rand.pick(['region', 'cost_center', 'amount_value_usd', 'Amount']), (r) => `${r.rand.int(0, 9)}.5`) },
  {
    kind: 'a random byte flipped in the cost export',
    build: (c) => {
      const f = flipped(c, toCsv(costRows(c)));
      return costAndUsage(c, { path: 'costs/cost.csv', bytes: f.bytes, money: 'csv' }, f.note);
    },
  },
  {
    kind: 'a random byte flipped in the usage export',
    build: (c) => {
      const f = flipped(c, toCsv(usageRows(c)));
      const cost: VariantFile = { path: 'costs/cost.csv', bytes: toCsv(costRows(c)), money: 'csv' };
      return { note: f.note, files: [cost, { path: 'usage/usage.csv', bytes: f.bytes }], args: reportArgs(c, [cost.path], ['usage/usage.csv']) };
    },
  },
  {
    kind: 'a symlink to an export in a scanned directory',
    build: (c) => {
      const files: VariantFile[] = [
        { path: 'real/cost_2026-10.csv', bytes: toCsv(costRows(c)), aside: true },
        { path: 'scan/cost_link.csv', symlink: '../real/cost_2026-10.csv', money: 'csv' },
        { path: 'scan/cost_late.csv', bytes: toCsv(costRows(c, FIXTURE.costLate)), money: 'csv' },
        { path: 'scan/usage.csv', bytes: toCsv(usageRows(c)) },
      ];
      return { note: 'scan/cost_link.csv → ../real/cost_2026-10.csv', files, args: reportArgs(c, ['scan'], ['scan']) };
    },
  },
  {
    kind: 'a symlink loop in a scanned directory',
    build: (c) => {
      const files: VariantFile[] = [
        { path: 'scan/cost.csv', bytes: toCsv(costRows(c)), money: 'csv' },
        { path: 'scan/usage.csv', bytes: toCsv(usageRows(c)) },
        { path: 'scan/loop', symlink: '.' },
      ];
      return { note: 'scan/loop → .', files, args: reportArgs(c, ['scan'], ['scan']) };
    },
  },
  {
    kind: 'deeply nested JSON cost page',
    runner: 'child',
    build: (c) => {
      const depth = c.rand.int(20_000, 200_000);
      const text = nestedArrays(fixtureBytes(FIXTURE.costJson).toString('utf8'), depth);
      const files: VariantFile[] = [
        { path: 'api/costs.json', bytes: Buffer.from(text), money: 'json' },
        { path: 'usage.csv', bytes: toCsv(usageRows(c)) },
      ];
      return { note: `page inside ${depth} arrays`, files, args: reportArgs(c, ['api/costs.json'], ['usage.csv']) };
    },
  },
  {
    kind: 'deeply nested value inside a JSONL usage page',
    build: (c) => {
      const depth = c.rand.int(20_000, 200_000);
      const lines = fixtureBytes(FIXTURE.usageJsonl).toString('utf8').split('\n');
      const at = c.rand.int(0, lines.filter((l) => l).length - 1);
      lines[at] = lines[at]!.replace('"user_id":null', `"user_id":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
      const files: VariantFile[] = [
        { path: 'api/costs.json', bytes: fixtureBytes(FIXTURE.costJson), money: 'json' },
        { path: 'api/usage.jsonl', bytes: Buffer.from(lines.join('\n')) },
      ];
      return { note: `user_id nested ${depth} deep on line ${at + 1}`, files, args: reportArgs(c, ['api/costs.json'], ['api/usage.jsonl']) };
    },
  },
  {
    kind: 'JSON cost amounts 1e309, hex and 400 nines',
    build: (c) => {
      let text = fixtureBytes(FIXTURE.costJson).toString('utf8');
      for (const v of ['1e309', '"0x1F"', `"${'9'.repeat(400)}"`, `-${'9'.repeat(400)}`]) {
        const hits = [...text.matchAll(/"value": ([^,\n]+)/g)];
        const h = hits[c.rand.int(0, hits.length - 1)]!;
        text = `${text.slice(0, h.index)}"value": ${v}${text.slice(h.index! + h[0].length)}`;
      }
      const files: VariantFile[] = [
        { path: 'api/costs.json', bytes: Buffer.from(text), money: 'json' },
        { path: 'api/usage.jsonl', bytes: fixtureBytes(FIXTURE.usageJsonl) },
      ];
      return { note: 'four amount.value replaced', files, args: reportArgs(c, ['api/costs.json'], ['api/usage.jsonl']) };
    },
  },
  {
    kind: 'JSONL usage with a truncated last page',
    build: (c) => {
      const t = truncated(c, fixtureBytes(FIXTURE.usageJsonl));
      const files: VariantFile[] = [
        { path: 'api/costs.json', bytes: fixtureBytes(FIXTURE.costJson), money: 'json' },
        { path: 'api/usage.jsonl', bytes: t.bytes },
      ];
      return { note: t.note, files, args: reportArgs(c, ['api/costs.json'], ['api/usage.jsonl']) };
    },
  },
  {
    kind: 'cost rows outside --period, with a repeat',
    build: (c) => {
      const rows = costRows(c, FIXTURE.costLate);
      const i = c.rand.int(1, rows.length - 1);
      rows.push([...rows[i]!]);
      return costAndUsage(c, { path: 'costs/cost.csv', bytes: toCsv(rows), money: 'csv' }, `--period 2026-10 over 10-25..11-07; row ${i + 1} repeated`, ['--period', '2026-10']);
    },
  },
  {
    kind: 'keys and escapes in payments and card statements',
    runner: 'child',
    build: (c) =>
      withStatements(c, (files) => {
        const pay = fixtureRows(FIXTURE.payments);
        plantInCells(pay, PAYMENT_TEXT, c.secrets, c.rand, 3);
        dataRow(c, pay)[col(pay[0]!, 'description')] = hostileText(c.rand);
        const card = fixtureRows(FIXTURE.usCard);
        plantInCells(card, CARD_TEXT, c.secrets, c.rand, 3);
        files.payments = toCsv(pay);
        files.usCard = toCsv(card);
        return 'keys in reference/description/memo';
      }),
  },
  {
    kind: 'payment amounts 1e309, hex and 400 nines',
    build: (c) =>
      withStatements(c, (files) => {
        const pay = fixtureRows(FIXTURE.payments);
        const values = ['1e309', '0x32', '9'.repeat(400)];
        for (const v of values) dataRow(c, pay)[col(pay[0]!, 'amount')] = v;
        const card = fixtureRows(FIXTURE.usCard);
        dataRow(c, card)[col(card[0]!, 'Amount')] = `-${'9'.repeat(400)}`;
        files.payments = toCsv(pay);
        files.usCard = toCsv(card);
        return 'payments and card line with absurd amounts';
      }),
  },
  {
    kind: 'a cost row in another currency',
    build: (c) => costCell(c, 'amount_currency', (r) => r.rand.pick(['eur', 'EUR', 'usd ', 'Usd', 'us$', ''])),
  },
  {
    kind: 'the same cost export twice in a scanned directory (overlapping exports)',
    build: (c) => {
      const rows = costRows(c);
      const files: VariantFile[] = [
        { path: 'exports/cost_a.csv', bytes: toCsv(rows), money: 'csv' },
        { path: 'exports/cost_b.csv', bytes: toCsv(rows.slice(0, c.rand.int(2, rows.length))), money: 'csv' },
        { path: 'exports/usage.csv', bytes: toCsv(usageRows(c)) },
      ];
      return { note: 'cost_b.csv repeats the first rows of cost_a.csv', files, args: reportArgs(c, ['exports'], ['exports']) };
    },
  },
  {
    kind: 'old 2025 cost header with keys and a repeat',
    build: (c) => {
      const rows = costRows(c, FIXTURE.costOld);
      rows.push([...dataRow(c, rows)]);
      const cost: VariantFile = { path: 'costs/cost_old.csv', bytes: toCsv(rows), money: 'csv' };
      const usage: VariantFile = { path: 'usage/daily.csv', bytes: toCsv(usageRows(c, FIXTURE.usageDaily)) };
      return { note: '2025 header', files: [cost, usage], args: reportArgs(c, [cost.path], [usage.path]) };
    },
  },
  {
    kind: 'several mutations at once',
    build: (c) => {
      const rows = costRows(c);
      const i = c.rand.int(1, rows.length - 1);
      rows.splice(i, 0, [...rows[i]!]);
      rows.splice(c.rand.int(1, rows.length - 1), 0, rows[0]!.slice());
      dataRow(c, rows)[col(rows[0]!, 'project_name')] = hostileText(c.rand);
      const eol = () => (c.rand.chance(0.5) ? '\r\n' : '\n');
      const f = flipped(c, toCsv(rows, eol));
      const files: VariantFile[] = [
        { path: 'exports/cost.csv', bytes: f.bytes, money: 'csv' },
        { path: 'exports/cost_late.csv', bytes: toCsv(costRows(c, FIXTURE.costLate)), money: 'csv' },
        { path: 'exports/usage.csv', bytes: toCsv(usageRows(c)) },
        { path: 'exports/embeddings.csv', bytes: toCsv(usageRows(c, FIXTURE.embeddings)) },
      ];
      return {
        note: `repeat, header row, escape, mixed line ends, ${f.note}`,
        files,
        args: reportArgs(c, ['exports'], ['exports'], c.rand.chance(0.5) ? ['--period', '2026-10'] : []),
      };
    },
  },
  {
    kind: '--strict on a cost export with one bad row',
    build: (c) => {
      const rows = costRows(c);
      dataRow(c, rows)[col(rows[0]!, 'amount_value')] = 'twelve';
      return costAndUsage(c, { path: 'costs/cost.csv', bytes: toCsv(rows), money: 'csv' }, 'amount "twelve"', ['--strict']);
    },
  },
];
