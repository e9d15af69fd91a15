/**
 * Hostile inputs, every output: a distinct API key planted in every text field of every input
 * kind (and in a header name, a file name, a rejected cell, the config), escape codes and a
 * 40,000-character name; one `report` run with --json, --csv, --focus and both workbooks, and
 * one `inspect` run. Every output byte is searched for every key's secret middle; the workbooks
 * are read back with openpyxl when the machine has it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'spendrecon');
const PY = '/usr/bin/python3';
const CHECKER = join(import.meta.dirname, '..', 'report', 'openpyxl_load.py');

const rand = prng(20261008);
const ABC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const body = (n: number) => Array.from({ length: n }, () => ABC[Math.floor(rand() * ABC.length)]).join('');

const PREFIXES = ['sk-proj-', 'sk-', 'sk-svcacct-', 'sk-admin-', 'sk-ant-api03-', 'sk-ant-admin01-'];
/** The keys planted, by field; `secret` is 12 characters from the middle of the body. */
const planted = new Map<string, { key: string; secret: string }>();
/** A fresh key for a field; every third is glued to a word, every fourth has a zero-width space inside. */
function key(field: string): string {
  const n = planted.size;
  const b = body(48);
  const plain = `${PREFIXES[n % PREFIXES.length]}${b}`;
  planted.set(field, { key: plain, secret: b.slice(18, 30) });
  const hidden = n % 4 === 3 ? `${plain.slice(0, 20)}\u200B${plain.slice(20)}` : plain;
  return n % 3 === 2 ? `prod_${hidden}` : hidden;
}

const ESC_TITLE = '\u001b]0;pwned\u0007';
const ESC_RED = '\u001b[31m';
const LONG_NAME = `Long project ${'x'.repeat(40000)}`;
const DAY = '1790812800,1790899200,2026-10-01T00:00:00+00:00,2026-10-02T00:00:00+00:00';

function writeInputs(dir: string): { usageFile: string; args: string[] } {
  const ex = join(dir, 'exports');
  mkdirSync(ex);
  const proj = key('project_id');
  const apiKey = key('api_key_id');
  const usageHeader = `start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,compute_units,input_tokens,output_tokens,input_cached_tokens,input_cache_write_tokens,input_uncached_tokens,input_text_tokens,output_text_tokens,input_cached_text_tokens,input_audio_tokens,input_cached_audio_tokens,output_audio_tokens,input_image_tokens,input_cached_image_tokens,output_image_tokens,region${ESC_TITLE}${key('header name')}`;
  const tokens = '0.0,1000.0,100.0,0.0,0.0,1000.0,1000.0,100.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0';
  const usageRows = [
    `${DAY},${proj},10.0,${key('user_id')},${apiKey},gpt-4o-mini-2024-07-18,False,default,${tokens},eu`,
    `${DAY},proj_Model,3.0,,key_plain,${key('model')},False,default,${tokens},eu`,
    `${DAY},proj_Bad,${key('rejected usage cell')},,key_plain,gpt-4o-mini-2024-07-18,False,default,${tokens},eu`,
  ];
  const usageFile = join(ex, `${key('file name')}.csv`);
  writeFileSync(usageFile, `${usageHeader}\n${usageRows.join('\n')}\n`);
  const costHeader =
    'start_time,end_time,start_time_iso,end_time_iso,amount_value,amount_currency,quantity,quantity_unit,line_item,user_id,api_key_id,project_id,organization_id,project_name,organization_name,user_email';
  const costRows = [
    `${DAY},1.25,usd,,,"gpt-4o-mini-2024-07-18, input",,,${proj},org-1,"Evil ${ESC_RED}red ${key('project_name')}",${key('organization_name')},`,
    `${DAY},0.50,usd,,,"${key('line_item')}",${key('cost user_id')},${key('cost api_key_id')},proj_Other,org-1,Other,Org,${key('user_email')}`,
    `${DAY},0.10,usd,,,"gpt-4o-mini-2024-07-18, output",,key_plain,proj_Other,org-1,Other,Org,`,
    `${DAY},0.25,usd,,,"Vector storage",,,${key('cost project_id')},org-1,"${LONG_NAME}",Org,`,
    `${DAY},${key('rejected cost cell')},usd,,,"Vector storage",,,proj_Bad,org-1,Bad,Org,`,
  ];
  writeFileSync(join(ex, 'cost_2026-10.csv'), `${costHeader}\n${costRows.join('\n')}\n`);
  const page = {
    object: 'page',
    has_more: false,
    next_page: null,
    data: [
      {
        object: 'bucket',
        start_time: 1790899200,
        end_time: 1790985600,
        results: [
          {
            object: 'organization.costs.result',
            amount: { value: '0.75', currency: 'usd' },
            line_item: key('api line_item'),
            project_id: key('api project_id'),
            organization_id: 'org-1',
            api_key_id: key('api api_key_id'),
            quantity: 1,
            quantity_unit: 'tokens',
          },
        ],
      },
    ],
  };
  writeFileSync(join(ex, 'costs_api.json'), JSON.stringify(page));
  const payments = join(dir, 'payments.csv');
  writeFileSync(
    payments,
    `paid_at,reference,amount,currency,status,kind,organization,card_last4,description\n2026-10-02T08:31:12Z,${key('payment reference')},20.00,USD,paid,manual,${key('payment organization')},4242,${key('payment description')}\n`,
  );
  const statement = join(dir, 'statement.csv');
  writeFileSync(statement, `Date,Description,Amount,Currency\n2026-10-02,OPENAI *API ${key('statement description')},-20.00,USD\n`);
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      timezone: 'UTC',
      projects: {
        [proj]: { name: key('config project name'), owner: key('config project owner'), costCenter: key('config cost centre') },
        proj_Long: { name: LONG_NAME },
        proj_Other: { name: 'task-reservation-2026' },
      },
      apiKeys: { [apiKey]: { name: key('config apiKeys name'), owner: key('config apiKeys owner') }, key_plain: { name: 'desk-booking-agent' } },
      cardholders: { '4242': { name: key('cardholder name'), costCenter: `${key('cardholder cost centre')} [with] a:very*long?name/that\\Excel refuses` } },
    }),
  );
  const args = ['report', '--usage', ex, '--costs', ex, '--payments', payments, '--statement', statement, '--config', config, '--period', '2026-10', '--tz', 'UTC'];
  return { usageFile, args };
}

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every XML part of a workbook as text. */
async function xmlParts(path: string): Promise<string[]> {
  const zip = await JSZip.loadAsync(readFileSync(path));
  return Promise.all(
    Object.values(zip.files)
      .filter((f) => !f.dir)
      .map((f) => f.async('string')),
  );
}

let dir: string;
let report: ReturnType<typeof cli>;
let inspect: ReturnType<typeof cli>;
const outputs = new Map<string, string>();
const workbooks: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('build first: npx tsc -p tsconfig.json');
  dir = mkdtempSync(join(tmpdir(), 'spendrecon-hostile-'));
  const { usageFile, args } = writeInputs(dir);
  report = cli([...args, '--json', '--csv', join(dir, 'csv'), '--focus', join(dir, 'focus.csv'), '--out', join(dir, 'out', 'report.xlsx')], dir);
  inspect = cli(['inspect', usageFile, join(dir, 'exports', 'cost_2026-10.csv')], dir);
  outputs.set('report stdout', report.stdout);
  outputs.set('report stderr', report.stderr);
  outputs.set('inspect stdout', inspect.stdout);
  outputs.set('inspect stderr', inspect.stderr);
  for (const f of readdirSync(join(dir, 'csv'))) outputs.set(`csv/${f}`, readFileSync(join(dir, 'csv', f), 'utf8'));
  outputs.set('focus.csv', readFileSync(join(dir, 'focus.csv'), 'utf8'));
  for (const f of readdirSync(join(dir, 'out'))) {
    // the HTML report beside the workbook is one more output for the same checks
    if (f.endsWith('.html')) {
      outputs.set(f, readFileSync(join(dir, 'out', f), 'utf8'));
      continue;
    }
    workbooks.push(join(dir, 'out', f));
    for (const [i, x] of (await xmlParts(join(dir, 'out', f))).entries()) outputs.set(`${f} part ${i}`, x);
  }
}, 60_000);

describe('hostile inputs through every output', () => {
  it('the run finishes and writes every output', () => {
    expect(report.stderr).not.toMatch(/\n\s+at /);
    expect(report.code).toBe(0);
    expect(workbooks.map((w) => w.split('/').pop()).sort()).toEqual(['report-reimbursement.xlsx', 'report.xlsx']);
    expect(JSON.parse(report.stdout).byProject.length).toBeGreaterThan(1);
  });

  it('no key survives in any output byte (stdout, stderr, CSV, FOCUS, every XML part of both workbooks)', () => {
    expect(planted.size).toBeGreaterThanOrEqual(29);
    const hits: string[] = [];
    for (const [name, text] of outputs) {
      const visible = text.replace(/[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/g, '');
      for (const [field, k] of planted) if (visible.includes(k.secret)) hits.push(`${field} in ${name}`);
    }
    expect(hits).toEqual([]);
    // the keys did reach the outputs, redacted: prefix and last four
    const all = [...outputs.values()].join('\n');
    for (const field of ['project_name', 'line_item', 'payment reference', 'statement description', 'config project name', 'cardholder name']) {
      const k = planted.get(field)!.key;
      const prefix = /^sk-(?:proj-|svcacct-|admin-|ant-[a-z]+\d*-)?/.exec(k)![0];
      expect(all, field).toContain(`${prefix}…${k.slice(-4)}`);
    }
  });

  it('keeps the ordinary words that contain "sk-"', () => {
    const json = JSON.parse(report.stdout) as { byProject: { projectName: string }[]; byKey: { keyName: string }[] };
    expect(json.byProject.map((p) => p.projectName)).toContain('task-reservation-2026');
    expect(json.byKey.map((k) => k.keyName)).toContain('desk-booking-agent');
    const sheets = [...outputs.entries()]
      .filter(([n]) => n.startsWith('report.xlsx'))
      .map(([, x]) => x)
      .join('');
    expect(sheets).toContain('task-reservation-2026');
    expect(sheets).toContain('desk-booking-agent');
  });

  it('writes no raw control character to the terminal or into a file', () => {
    for (const [name, text] of outputs) expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text), name).toBe(false);
    expect(inspect.stdout).toContain('\u241B]0;pwned\u2407');
    expect(report.stderr).toContain('\u241B]0;pwned');
  });

  it('cuts the 40,000-character name in the workbook with a marker, keeps it whole in --json', async () => {
    const parts = [...outputs.entries()].filter(([n]) => n.startsWith('report.xlsx'));
    expect(parts.some(([, x]) => x.includes('… [cut: 40,013 characters; the full text is in --json]'))).toBe(true);
    expect(report.stdout).toContain(LONG_NAME);
  });

  it('the workbooks open in openpyxl, an independent reader, with nothing Excel refuses', (ctx) => {
    const probe = spawnSync(PY, ['-c', 'import openpyxl'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      console.log(`skipped: ${PY} cannot import openpyxl (apt-get install -y python3-openpyxl)`);
      ctx.skip();
    }
    const demo = mkdtempSync(join(tmpdir(), 'spendrecon-demo-'));
    expect(cli(['demo'], demo).code).toBe(0);
    const files = [...workbooks, join(demo, 'reports', '2026-10.xlsx'), join(demo, 'reports', '2026-10-reimbursement.xlsx')];
    const r = spawnSync(PY, [CHECKER, ...files], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain(`checked ${files.length} workbook(s), 0 problem(s)`);
    expect(r.status).toBe(0);
  });
});
