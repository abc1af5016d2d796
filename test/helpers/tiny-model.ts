import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A tiny BERT-shaped feature-extraction model generated on the fly, so the Transformers.js
 * embedder can be tested for real without network access or multi-megabyte fixtures.
 * The "encoder" is a bag of embeddings: word embedding + token-type embedding, masked by
 * attention_mask. It has no semantics, but it is deterministic and distinct words get
 * distinct vectors, which is all the embedder contract needs.
 */

/** Folder name of the generated model inside `dir` (what `modelDir`/`model` point at). */
export const TINY_MODEL_NAME = 'tiny-bert';
/** Width of `last_hidden_state`; small keeps the file and the test fast. */
export const TINY_MODEL_DIMENSION = 32;

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
// Common English words plus the punctuation BertPreTokenizer splits off; anything else is [UNK].
const WORDS = `the of and to a in is it you that he was for on are as with his they i at be this
have from or one had by word but not what all were we when your can said there use an each which
she do how their if will up other about out many then them these so some her would make like him
into time has look two more write go see number no way could people my than first water been call
who oil its now find long down day did get come made may part over new sound take only little work
know place year live me back give most very after thing our just name good sentence man think say
great where help through much before line right too mean old any same tell boy follow came want
show also around form three small set put end does another well large must big even such because
turn here why ask went men read need land different home us move try kind hand picture again change
off play spell air away animal house point page letter mother answer found study still learn should
podcast episode music science history economics football cooking weather . , ? ! ' - : ;`.split(/\s+/);

/** Token strings in id order: specials first, as BERT vocabularies have them. */
export const TINY_VOCAB: readonly string[] = [...SPECIAL_TOKENS, ...WORDS];

/**
 * Writes `<dir>/tiny-bert/` in the layout Transformers.js loads from `env.localModelPath`:
 * config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx (fp32) and
 * onnx/model_quantized.onnx (int8 table + DequantizeLinear, what dtype `q8` selects).
 * Returns the model folder path.
 */
export async function createTinyModel(dir: string): Promise<string> {
  const modelDir = join(dir, TINY_MODEL_NAME);
  await mkdir(join(modelDir, 'onnx'), { recursive: true });
  const table = embeddingTable(TINY_VOCAB.length, TINY_MODEL_DIMENSION, 0x5eed);
  await Promise.all([
    writeJson(join(modelDir, 'config.json'), bertConfig()),
    writeJson(join(modelDir, 'tokenizer.json'), tokenizerJson()),
    writeJson(join(modelDir, 'tokenizer_config.json'), tokenizerConfig()),
    writeFile(join(modelDir, 'onnx', 'model.onnx'), encodeModel(table, false)),
    writeFile(join(modelDir, 'onnx', 'model_quantized.onnx'), encodeModel(table, true)),
  ]);
  return modelDir;
}

function writeJson(path: string, value: unknown): Promise<void> {
  return writeFile(path, JSON.stringify(value, null, 2));
}

function bertConfig() {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: TINY_MODEL_DIMENSION,
    num_attention_heads: 1,
    num_hidden_layers: 1,
    intermediate_size: TINY_MODEL_DIMENSION,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    vocab_size: TINY_VOCAB.length,
    pad_token_id: 0,
  };
}

function tokenizerJson() {
  const special = (content: string, id: number) => ({
    id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((t, i) => special(t, i)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', cls: ['[CLS]', 2], sep: ['[SEP]', 3] },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(TINY_VOCAB.map((t, i) => [t, i])),
    },
  };
}

function tokenizerConfig() {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 512,
    clean_up_tokenization_spaces: true,
    pad_token: '[PAD]', unk_token: '[UNK]', cls_token: '[CLS]', sep_token: '[SEP]', mask_token: '[MASK]',
  };
}

/** Deterministic values in [-1, 1) from mulberry32, so every run builds the same model. */
function embeddingTable(rows: number, cols: number, seed: number): Float32Array {
  const out = new Float32Array(rows * cols);
  let s = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

// ---- ONNX graph -------------------------------------------------------------------------

const FLOAT = 1;
const INT8 = 3;
const INT64 = 7;

function encodeModel(table: Float32Array, quantized: boolean): Uint8Array {
  const D = TINY_MODEL_DIMENSION;
  const V = TINY_VOCAB.length;
  // Small, because every token carries a type embedding: a large one would make all texts alike.
  const typeTable = embeddingTable(2, D, 0x7e11).map((v) => v * 0.1);
  const nodes: Uint8Array[] = [];
  const inits: Uint8Array[] = [
    tensor('type_table', FLOAT, [2, D], f32Bytes(typeTable)),
    tensor('last_axis', INT64, [1], i64Bytes([-1])),
  ];
  if (quantized) {
    // Symmetric int8 quantisation: scale maps the table's max magnitude onto 127.
    const scale = table.reduce((m, v) => Math.max(m, Math.abs(v)), 0) / 127;
    const q = Int8Array.from(table, (v) => Math.round(v / scale));
    inits.push(
      tensor('word_table_q', INT8, [V, D], new Uint8Array(q.buffer)),
      tensor('word_scale', FLOAT, [], f32Bytes(Float32Array.of(scale))),
      tensor('word_zero', INT8, [], Uint8Array.of(0)),
    );
    nodes.push(
      node('Gather', ['word_table_q', 'input_ids'], ['word_q']),
      node('DequantizeLinear', ['word_q', 'word_scale', 'word_zero'], ['word']),
    );
  } else {
    inits.push(tensor('word_table', FLOAT, [V, D], f32Bytes(table)));
    nodes.push(node('Gather', ['word_table', 'input_ids'], ['word']));
  }
  nodes.push(
    node('Gather', ['type_table', 'token_type_ids'], ['type']),
    node('Add', ['word', 'type'], ['summed']),
    node('Cast', ['attention_mask'], ['mask_f'], [attrInt('to', FLOAT)]),
    node('Unsqueeze', ['mask_f', 'last_axis'], ['mask_3d']),
    // Zeroing padded positions mirrors a real encoder's output being ignored there.
    node('Mul', ['summed', 'mask_3d'], ['last_hidden_state']),
  );
  const graph = [
    ...nodes.map((n) => field(1, n)),
    field(2, str('tiny_bert')),
    ...inits.map((t) => field(5, t)),
    ...['input_ids', 'attention_mask', 'token_type_ids'].map((n) => field(11, valueInfo(n, INT64, ['batch', 'seq']))),
    field(12, valueInfo('last_hidden_state', FLOAT, ['batch', 'seq', D])),
  ];
  return concat([
    varintField(1, 8), // ir_version 8 pairs with opset 13 in ONNX Runtime's support matrix
    field(2, str('episodic-test')),
    field(7, concat(graph)),
    field(8, concat([field(1, str('')), varintField(2, 13)])),
  ]);
}

function node(opType: string, inputs: string[], outputs: string[], attrs: Uint8Array[] = []): Uint8Array {
  return concat([
    ...inputs.map((n) => field(1, str(n))),
    ...outputs.map((n) => field(2, str(n))),
    field(3, str(`${opType}_${outputs[0]}`)),
    field(4, str(opType)),
    ...attrs.map((a) => field(5, a)),
  ]);
}

function attrInt(name: string, value: number): Uint8Array {
  const ATTR_INT = 2;
  return concat([field(1, str(name)), varintField(3, value), varintField(20, ATTR_INT)]);
}

function tensor(name: string, dataType: number, dims: number[], raw: Uint8Array): Uint8Array {
  return concat([...dims.map((d) => varintField(1, d)), varintField(2, dataType), field(8, str(name)), field(9, raw)]);
}

function valueInfo(name: string, elemType: number, dims: (string | number)[]): Uint8Array {
  const shape = concat(dims.map((d) => field(1, typeof d === 'number' ? varintField(1, d) : field(2, str(d)))));
  const tensorType = concat([varintField(1, elemType), field(2, shape)]);
  return concat([field(1, str(name)), field(2, field(1, tensorType))]);
}

// ---- protobuf wire format (only what ONNX needs: varints and length-delimited fields) ----

function varint(n: number): Uint8Array {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Uint8Array.from(out);
}

function varintField(fieldNo: number, value: number): Uint8Array {
  return concat([varint(fieldNo << 3), varint(value)]);
}

function field(fieldNo: number, payload: Uint8Array): Uint8Array {
  return concat([varint((fieldNo << 3) | 2), varint(payload.length), payload]);
}

function str(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function f32Bytes(values: Float32Array): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return new Uint8Array(view.buffer);
}

function i64Bytes(values: number[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return new Uint8Array(view.buffer);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
