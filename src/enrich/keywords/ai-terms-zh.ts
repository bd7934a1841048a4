/**
 * Chinese AI-news terms added to jieba's general dictionary (jieba's own dict.txt dates from
 * before large models: without these, 大语言模型 is cut into 大 / 语言 / 模型 and 智能体 into
 * 智能 / 体; 人工智慧 is the Taiwanese form of 人工智能, matched after Traditional text is
 * converted character by character). Format of jieba's dictionary: `word frequency tag` per line; the frequency 2000
 * makes a whole term win over its pieces, the tag is jieba's part of speech (n noun, nt
 * organization, nr person, nz other proper noun).
 */
const TERMS: ReadonlyArray<readonly [string, string]> = [
  ['大语言模型', 'n'], ['人工智慧', 'n'], ['大模型', 'n'], ['语言模型', 'n'], ['多模态', 'n'], ['智能体', 'n'], ['具身智能', 'n'],
  ['混合专家', 'n'], ['生成式', 'n'], ['生成式人工智能', 'n'], ['通用人工智能', 'n'], ['算力', 'n'], ['强化学习', 'n'],
  ['预训练', 'vn'], ['微调', 'vn'], ['推理模型', 'n'], ['扩散模型', 'n'], ['向量数据库', 'n'], ['提示词', 'n'],
  ['开源模型', 'n'], ['文生图', 'n'], ['文生视频', 'n'], ['人形机器人', 'n'], ['自动驾驶', 'n'], ['端侧', 'n'],
  ['上下文窗口', 'n'], ['幻觉', 'n'], ['对齐', 'vn'], ['蒸馏', 'vn'], ['量化', 'vn'], ['思维链', 'n'],
  ['深度求索', 'nt'], ['月之暗面', 'nt'], ['智谱', 'nt'], ['英伟达', 'nt'], ['字节跳动', 'nt'], ['阿里云', 'nt'],
  ['百度', 'nt'], ['腾讯', 'nt'], ['华为', 'nt'], ['商汤', 'nt'], ['旷视', 'nt'], ['科大讯飞', 'nt'], ['昇腾', 'nz'],
  ['台积电', 'nt'], ['通义千问', 'nz'], ['文心一言', 'nz'], ['豆包', 'nz'], ['混元', 'nz'], ['盘古', 'nz'],
  ['量子位', 'nt'], ['机器之心', 'nt'], ['吴恩达', 'nr'], ['黄仁勋', 'nr'], ['奥特曼', 'nr'], ['马斯克', 'nr'],
  ['李飞飞', 'nr'], ['杨立昆', 'nr'], ['辛顿', 'nr'], ['图灵奖', 'nz'], ['光刻机', 'n'],
];

/**
 * The terms themselves: always kept as keyword candidates whatever tag jieba's own dictionary
 * gives them (it has 人工智慧 as `l`, a set phrase, a tag otherwise dropped).
 */
export const AI_TERMS_ZH: ReadonlySet<string> = new Set(TERMS.map(([w]) => w));

/** The terms in jieba's dictionary format, for `Jieba.loadDict`. */
export const AI_TERMS_ZH_DICT: string = TERMS.map(([w, tag]) => `${w} 2000 ${tag}`).join('\n') + '\n';
