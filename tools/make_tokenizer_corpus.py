#!/usr/bin/env python3
"""Write the tokenizer test corpus (deterministic; no third-party packages).

Usage: python3 tools/make_tokenizer_corpus.py [OUTDIR]   (default: tests/tokenizer_corpus)

Writes:
  OUTDIR/corpus.jsonl      one JSON string per line (the test inputs)
  OUTDIR/categories.txt    one category name per line, aligned with corpus.jsonl
  OUTDIR/pairs.jsonl       one JSON array [a, b] per line (text pairs)
  OUTDIR/subsets.json      index lists used by tools/make_tokenizer_fixtures.py
                           (truncation / transformers-level subsets)

Everything comes from the hand-written lists below plus a random.Random with a
fixed seed, so the output is identical on every run and every Python >= 3.8.
Lines are split on "\\n" only: strings may hold U+0085, U+2028 and U+2029, which
are written as JSON escapes (like all C0/C1 controls and invisible format
characters), so a byte-level line split is always safe.
"""
import json
import os
import random
import sys

SEED = 20240611
OUT = sys.argv[1] if len(sys.argv) > 1 else "tests/tokenizer_corpus"

# Characters written as \\uXXXX escapes even though JSON allows them raw: C1
# controls, line/paragraph separators, BOM and zero-width/format characters.
_ESCAPE = set(range(0x7F, 0xA0)) | {0x00AD, 0x061C, 0x180E, 0x2028, 0x2029, 0xFEFF}
_ESCAPE |= set(range(0x200B, 0x2010)) | set(range(0x202A, 0x202F)) | set(range(0x2060, 0x2070))
_ESCAPE |= set(range(0xFFF9, 0xFFFC)) | set(range(0xE0000, 0xE0080))


def dumps(obj):
    """json.dumps(ensure_ascii=False) with invisible/line-breaking chars escaped."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    out = []
    for ch in s:
        cp = ord(ch)
        if cp in _ESCAPE:
            if cp > 0xFFFF:
                cp -= 0x10000
                out.append("\\u%04x\\u%04x" % (0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF)))
            else:
                out.append("\\u%04x" % cp)
        else:
            out.append(ch)
    return "".join(out)


# --------------------------------------------------------------------------
# Hand-written material
# --------------------------------------------------------------------------

PROSE = [
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog.",
    "I can't believe it's already 5 o'clock; we're going to be late!",
    "She said, \"Don't touch that!\" and walked away.",
    "It was the best of times, it was the worst of times.",
    "Mr. Smith went to Washington, D.C., on Tuesday.",
    "What's the difference between a tokenizer and a parser?",
    "Wait... what?! Are you serious???",
    "The U.S.A. and the U.K. signed the agreement (finally).",
    "e.g., i.e., etc., vs., a.m., p.m.",
    "Hyphenated-words and well-known state-of-the-art results.",
    "An em dash\u2014like this\u2014and an en dash: 1990\u20132000.",
    "\u201cCurly quotes\u201d and \u2018single curly quotes\u2019 look nicer.",
    "HELLO WORLD IN CAPITAL LETTERS",
    "camelCaseIdentifier and PascalCase and snake_case_words",
    "iPhone, eBay, McDonald's, O'Neill, YouTube",
    "The year 2023 was warmer than 1999.",
    "Tokenization is the first step of every NLP pipeline.",
    "Transformers changed natural language processing forever.",
    "Don't, won't, shouldn't've, y'all'd've, it'll, he'd.",
    "She sells sea shells by the sea shore.",
    "To be, or not to be: that is the question.",
    "All that glitters is not gold; all that wander are not lost.",
    "Semi;colons, com,mas, and: colons.",
    "(Parentheses) [brackets] {braces} <angles>",
    "Question? Exclamation! Interrobang\u203d",
    "The cat sat on the mat. The dog sat on the log.",
    "A man, a plan, a canal: Panama.",
    "Numbers like 42 and words like forty-two.",
    "Unicode is hard\u2014but fun.",
    "Hello    world   with    many     spaces.",
    "Tabs\tbetween\twords\there.",
    "Line one.\nLine two.\nLine three.",
    "Trailing spaces   ",
    "   Leading spaces",
    "He's the one who'll decide; they've agreed.",
    "#hashtag @mention $TICKER %percent ^caret &ampersand *star",
    "The price is $9.99 (about \u20ac9.20 or \u00a37.90).",
    "Rock 'n' roll isn't dead.",
    "The end.",
]

SUBJECTS = ["The model", "A small dog", "My neighbour", "The committee", "Every student",
            "The old lighthouse keeper", "Our new tokenizer", "A curious child", "The server",
            "This algorithm", "The river", "Nobody", "The orchestra", "Grandma", "The robot",
            "An unexpected email", "The government", "Her favourite author", "The compiler",
            "The train to Berlin"]
VERBS = ["reads", "ignores", "celebrates", "rewrites", "predicts", "carries", "measures",
         "forgets", "discovers", "explains", "paints", "tokenizes", "questions", "delivers",
         "translates", "summarizes", "builds", "repairs", "visits", "describes"]
OBJECTS = ["the report", "a long letter", "every sentence", "the broken clock", "three apples",
           "the weather forecast", "an ancient map", "the unit tests", "a red balloon",
           "the meaning of life", "the quarterly numbers", "a strange noise", "the last chapter",
           "twelve emails", "the mountain path", "an empty room", "the source code", "a poem"]
ADVERBIALS = ["before breakfast", "in the morning", "without hesitation", "very carefully",
              "at 3:45 p.m.", "on 12 March 2021", "after the meeting", "under the bridge",
              "for the 2nd time", "every Tuesday", "with great enthusiasm", "in silence",
              "despite the rain", "during the night", "once again", "as usual"]
CONNECT = [", and then", "; however,", ", but", " because", ", so", " while", ". Meanwhile,",
           " \u2014 and", " (although", ", which means"]
ENDINGS = [".", "!", "?", "...", "?!", ".\"", ".)", ";", ":"]

MULTI = {
    "zh": ["我爱自然语言处理。", "今天天气很好，我们去公园散步吧！", "北京是中华人民共和国的首都。",
           "这个模型的分词器需要正确处理中文字符。", "他说：“你好，世界！”", "我有3个苹果和２个橙子。",
           "繁體中文與简体中文並不相同。", "人工智能正在改变世界。"],
    "ja": ["私は東京に住んでいます。", "今日はとても暑いですね。", "カタカナとひらがなと漢字が混ざった文章です。",
           "日本語の形態素解析は難しい。", "「こんにちは」と彼女は言った。", "ラーメンを食べたい！",
           "コンピューターのキーボード"],
    "ko": ["안녕하세요, 만나서 반갑습니다.", "한국어 형태소 분석은 어렵습니다.", "서울은 대한민국의 수도입니다.",
           "저는 학생입니다.", "오늘 날씨가 정말 좋네요!"],
    "ar": ["مرحبا بالعالم", "اللغة العربية جميلة جداً.", "ذهبت إلى المكتبة لقراءة كتاب.",
           "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ", "العدد ١٢٣ مكتوب بالأرقام العربية.", "هل تتكلم الإنجليزية؟"],
    "he": ["שלום עולם", "אני אוהב ללמוד שפות חדשות.", "שָׁלוֹם עֲלֵיכֶם", "ירושלים היא עיר עתיקה.",
           "מה שלומך?"],
    "ru": ["Привет, мир!", "Москва — столица России.",
           "Съешь же ещё этих мягких французских булок, да выпей чаю.", "Ёлка и ежик.",
           "ПРОПИСНЫЕ БУКВЫ и строчные буквы", "Україна: Ґанок, їжак, є.", "Београд је главни град Србије."],
    "hi": ["नमस्ते दुनिया", "मुझे हिंदी पढ़ना पसंद है।", "भारत एक विशाल देश है।", "क्षत्रिय और ज्ञान",
           "संस्कृत एक प्राचीन भाषा है।"],
    "th": ["สวัสดีครับ", "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ", "ฉันชอบกินข้าวผัด", "กรุงเทพมหานคร",
           "น้ำตาลทรายขาว"],
    "el": ["Γειά σου Κόσμε", "Η γρήγορη καφέ αλεπού πηδάει πάνω από το τεμπέλικο σκυλί.", "ΟΔΥΣΣΕΥΣ",
           "ΣΑΣ ΕΥΧΑΡΙΣΤΟΥΜΕ", "Ἀθῆναι καὶ Σπάρτη", "ψυχή, ἀρετή, λόγος"],
    "vi": ["Tiếng Việt có rất nhiều dấu thanh.", "Tôi yêu Hà Nội.", "Người đẹp ở đâu?",
           "Chữ Quốc ngữ được viết bằng chữ Latinh.", "Đường phố Sài Gòn rất đông đúc."],
    "tr": ["İstanbul", "ıspanak", "IĞDIR ve İZMİR", "Türkçe büyük İ ve küçük ı harfleri ilginçtir.",
           "İi Iı", "Şişli'de çay içtik."],
    "de": ["Straße", "Größe und Maß", "GROẞE STRASSE", "Donaudampfschifffahrtsgesellschaftskapitän",
           "Über den Wolken muss die Freiheit wohl grenzenlos sein."],
    "fr": ["Ça c'est l'été à Noël, où êtes-vous\u00a0?", "L'œuvre d'art coûte 1\u202f000\u00a0€.",
           "Les élèves étudient à l'école.", "«\u00a0Bonjour\u00a0!\u00a0» dit-il."],
    "es": ["¿Dónde está la biblioteca? ¡Olé!", "El niño comió piña en el año 2020.",
           "Mañana será otro día."],
    "pl": ["Zażółć gęślą jaźń.", "Chrząszcz brzmi w trzcinie."],
    "misc": ["Բարեւ աշխարհ", "გამარჯობა მსოფლიო", "ሰላም ለዓለም", "வணக்கம் உலகம்", "নমস্কার পৃথিবী",
             "سلام دنیا", "ہیلو دنیا", "Сайн байна уу", "བཀྲ་ཤིས་བདེ་ལེགས།", "សួស្តី​ពិភពលោក",
             "ສະບາຍດີ", "မင်္ဂလာပါ", "ආයුබෝවන්", "ᚠᚢᚦᚨᚱᚲ", "Ⲁⲛⲟⲕ", "𐌰𐌱𐌲𐌳 (Gothic)",
             "𓀀𓀁𓀂 hieroglyphs", "𠀀𠜎𡃁 (CJK Ext B)", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐁𝐨𝐥𝐝 𝑖𝑡𝑎𝑙𝑖𝑐", "𝄞 music",
             "Hello 世界 مرحبا שלום Привет", "Mixed: English, 中文, 日本語, 한국어, العربية."],
}

EMOJI = ["😀", "😀😃😄😁", "👍", "👍🏻", "👍🏽", "👍🏿", "👨‍👩‍👧‍👦", "👩‍❤️‍💋‍👨", "🧑🏻‍💻",
         "🏳️‍🌈", "🏴‍☠️", "🇯🇵", "🇺🇸🇬🇧🇫🇷", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "1️⃣", "#️⃣", "*️⃣", "❤️", "❤",
         "☺︎ vs ☺️", "🫠🫡🫶", "🏿", "\u200d", "I love 🍕 and 🍣!", "Great job 👏👏👏",
         "🔥🔥🔥 hot 🔥🔥🔥", "Rocket 🚀 to the moon 🌕", "👩🏾‍🔬 scientist, 👨🏼‍🚀 astronaut",
         "Family: 👨‍👨‍👧 👩‍👩‍👦‍👦", "Flags: 🇩🇪 🇨🇳 🇮🇳 🇧🇷 🇿🇦", "Keycaps: 0️⃣1️⃣2️⃣3️⃣",
         "😂🤣😅", "text😀text", "✅ done ❌ failed ⚠️ warning", "©️ ®️ ™️", "🐶🐱🐭🐹🐰🦊",
         "🤷‍♀️ 🤷‍♂️ 🤷", "💯", "🙏🏼", "👋 Hi!", "♥♦♣♠", "☃", "⌚⌛", "🀄🃏", "🧬🧪🧫",
         "🫱🏻‍🫲🏿", "🐻‍❄️", "👁️‍🗨️", "🧔‍♂️", "🦸🏽‍♀️"]

COMBINING = ["e\u0301", "cafe\u0301", "Cafe\u0301 au lait", "n\u0303", "a\u0300\u0301\u0302\u0303",
             "A\u030a vs \u00c5 vs \u212b", "o\u0308 vs \u00f6", "\u0301", "\u0301abc", "x\u0336y\u0336z\u0336",
             "u\u0308\u0304", "e\u0301\u0301\u0301\u0301", "\u1100\u1161\u11a8 vs \uac01",
             "\u0915\u094d\u0937", "Ame\u0301lie Poulain", "S\u0323\u0307", "i\u0307", "\u0627\u064e\u0644\u0652",
             "Ñandu\u0301", "re\u0301sume\u0301 vs r\u00e9sum\u00e9", "\u0041\u0328\u0301", "ḁ\u0325",
             "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034dA\u0334\u0335\u031c\u0330\u0354\u036b\u0357\u0362L\u0320\u0368\u0367\u0369\u0358G\u0334\u033b\u0348\u034d\u0354\u0339\u0311\u0357\u030e\u0305\u035b\u0301O\u0335\u0339\u033b\u031d\u0333\u0342\u030c\u030c\u0358!"]

NFKC = ["ﬁ", "ﬂ", "ﬀ ﬃ ﬄ", "ﬁnancial ofﬁce", "Ａ１", "ＡＢＣ１２３", "ｈｅｌｌｏ　ｗｏｒｌｄ", "①②③", "⑴ ⒈ ⓐ Ⓐ",
        "x²+y³=z⁴", "H₂O and CO₂", "ℌ ℍ ℑ ℜ ℭ", "Ⅻ ⅻ Ⅳ ⅳ", "ｶﾀｶﾅ", "ﾊﾟﾋﾞﾌﾟﾍﾞﾎﾟ", "ﾞ", "㍻ ㍼ ㋿",
        "㎏ ㎞ ㎡ ㏄", "™ ℠ ℡", "℃ ℉", "½ ⅓ ¼ ¾", "… ‥", "‼ ⁇ ⁈", "ſ", "µ vs μ", "Ω vs Ω", "K vs K",
        "ǅ Ǆ ǆ", "㈱ ㈲", "ŉ", "ﷺ", "ﷻ", "ﺍﻟﻌﺮﺑﻴﺔ", "𝟏𝟐𝟑", "ℵ ℶ", "ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｃｏｍ",
        "‐‑‒–—―", "ⅰⅱⅲ", "㊀㊁㊂", "︵︶", "﹏", "＂＇＜＞", "Ⓒ Ⓡ", "ㄱㄴㄷ vs ᄀᄂᄃ", "ﾟ", "ᵃᵇᶜ", "ⁱⁿ"]

WHITESPACE_KINDS = ["\t", "\n", "\r", "\r\n", "\u000b", "\u000c", "\u00a0", "\u1680", "\u2000",
                    "\u2002", "\u2003", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f",
                    "\u3000", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u0085", "\u180e"]

CODE = [
    "def hello(name):\n    print(f\"Hello, {name}!\")\n    return None\n",
    "import numpy as np\nx = np.zeros((3, 4), dtype=np.float32)\nprint(x.shape)",
    "for i in range(10):\n\tif i % 2 == 0:\n\t\tcontinue\n\tprint(i)",
    "class Foo(Bar):\n    \"\"\"Docstring.\"\"\"\n\n    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n",
    "lambda x: x**2 + 2*x - 1",
    "if (a != b && c >= d || !e) { return -1; }",
    "#include <stdio.h>\n\nint main(void) {\n    printf(\"Hello, world!\\n\");\n    return 0;\n}\n",
    "static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }",
    "int *p = malloc(sizeof(int) * n); /* allocate */ // TODO: free(p);",
    "#define MAX(a, b) ((a) > (b) ? (a) : (b))",
    "{\"name\": \"transformers.h\", \"version\": \"0.1.0\", \"tags\": [\"c\", \"nlp\"], \"stars\": 42, \"ok\": true, \"null\": null}",
    "[{\"id\":1,\"text\":\"a\\tb\\nc\"},{\"id\":2,\"text\":\"\\u00e9\"}]",
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Test</title></head>\n<body><p class=\"x\">Hello &amp; goodbye&nbsp;&lt;3</p></body>\n</html>",
    "<div id=\"main\"><a href=\"https://example.com/?a=1&b=2\">link</a><br/></div>",
    "SELECT id, name FROM users WHERE age >= 18 AND name LIKE '%smith%' ORDER BY id DESC;",
    "const add = (a, b) => a + b; console.log(`sum: ${add(1, 2)}`);",
    "fn main() { let v: Vec<u8> = vec![1, 2, 3]; println!(\"{:?}\", v); }",
    "$ ls -la | grep \".txt\" > out.log 2>&1 && echo done",
    "x = [i ** 2 for i in range(100) if i % 3 == 0]  # squares",
    "a[i][j] += b[j][k] * c[k][i];",
    "    four spaces\n        eight spaces\n            twelve spaces",
    "\t\ttwo tabs\n\t\t\tthree tabs",
    "key: value\nlist:\n  - item1\n  - item2\nnested:\n  a: 1\n",
    "# Title\n\n## Subtitle\n\n- bullet **bold** _italic_ `code`\n\n```python\nprint(1)\n```",
    "\\begin{equation} E = mc^2 \\end{equation} and $\\alpha + \\beta = \\gamma$",
    "--- a/file.c\n+++ b/file.c\n@@ -1,3 +1,3 @@\n-old line\n+new line",
    "regex: ^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$",
    "0x7fffffff 0b1010 0o777 1e-9 3.0f 10UL",
    "std::vector<std::string> v{\"a\", \"b\"}; auto it = v.begin();",
    "try:\n    1/0\nexcept ZeroDivisionError as e:\n    raise ValueError(\"bad\") from e",
    "print(\"\u4f60\u597d\") # non-ASCII inside code",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><root><item key=\"a\">1</item></root>",
    "model.generate(input_ids, max_new_tokens=128, do_sample=False, temperature=0.7)",
    "TOKENIZERS_PARALLELISM=false python3 -m pytest -x -q tests/",
    "    \n    \n",
]

URLS = ["https://www.example.com/path/to/page?query=1&lang=en#section-2",
        "http://localhost:8080/api/v1/users/123",
        "Visit https://huggingface.co/docs/tokenizers for details.",
        "ftp://files.example.org/pub/file.tar.gz",
        "mailto:someone@example.com?subject=Hello%20there",
        "Contact me at john.doe+newsletter@sub.example.co.uk or jane_doe@example.io.",
        "user@localhost",
        "www.google.com",
        "192.168.0.1:443 and 2001:db8::ff00:42:8329",
        "@username replied to #hashtag on https://twitter.com/user/status/1234567890",
        "https://例え.テスト/パス?クエリ=値",
        "https://xn--r8jz45g.xn--zckzah/",
        "file:///home/user/documents/report%20final.pdf",
        "git@github.com:huggingface/tokenizers.git",
        "https://en.wikipedia.org/wiki/Byte_pair_encoding#Algorithm",
        "s3://bucket-name/prefix/object.json",
        "data:text/plain;base64,SGVsbG8sIFdvcmxkIQ==",
        "The URL (https://example.com/a_(b)) has parentheses.",
        "<https://example.com>",
        "http://user:pass@example.com:8080/p/a/t/h?query=string#hash",
        "C:\\Users\\Name\\Documents\\file.txt",
        "/usr/local/bin/python3.12",
        "../relative/path/./to/../file.md",
        "UPPER.CASE@EXAMPLE.COM",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        "email: test@例え.jp",
        "http://127.0.0.1:5000/?q=%E4%BD%A0%E5%A5%BD",
        "ws://chat.example.com/socket",
        "tel:+1-555-123-4567",
        "urn:isbn:0451450523"]

NUMBERS = ["1234567", "3.14159", "1,000,000", "1.000.000,50", "2024-01-15", "15/01/2024", "01.15.2024",
           "12:30:45", "2024-01-15T12:30:45.123Z", "+1 (555) 123-4567", "+44 20 7946 0958", "123abc",
           "abc123", "0x1F4A9", "1e-10", "-42", "-0.0001", "$1,234.56", "€50", "£100", "¥1000", "100%",
           "1st 2nd 3rd 4th 21st 101st", "٣٤٥", "١٢٣٤٥٦٧٨٩٠", "१२३४", "๑๒๓", "一二三四五", "３．１４", "10^6",
           "3/4", "v1.2.3-beta.4+build.5", "ISBN 978-3-16-148410-0", "12345678901234567890",
           "0000", "007", "1 000 000", "π ≈ 3.14", "2+2=4", "x=-1.5e+3", "99.9%", "#1", "No. 5",
           "50°C", "6'2\"", "1:2:3", "10km/h", "24/7", "3D", "4K", "MP3", "COVID-19", "9/11",
           "1990s", "’90s"]

SPECIAL_LITERALS = ["[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]", "<s>", "</s>", "<unk>", "<pad>",
                    "<mask>", "<|endoftext|>", "<|startoftranscript|>", "<|en|>", "<|transcribe|>",
                    "<|notimestamps|>", "<|0.00|>", "<|1.50|>", "<extra_id_0>", "<extra_id_99>",
                    "<|user|>", "<|assistant|>", "<|end|>", "<|system|>"]

SPECIAL_SENTENCES = [
    "Hello [CLS] world [SEP]",
    "[CLS]Hello[SEP]",
    "[CLS] [SEP] [MASK] [PAD] [UNK]",
    "The capital of France is [MASK].",
    "[cls] lowercase [sep] [mask]",
    "<s>Hello</s>",
    "<s> Hello </s>",
    "<s><s></s></s>",
    "<<s>>",
    "< s >",
    "<|endoftext|>Hello<|endoftext|>",
    "First document.<|endoftext|>Second document.",
    "<|endoftext|><|endoftext|><|endoftext|>",
    "<|endoftext|",
    "<|endoftext|> leading and trailing <|endoftext|> ",
    " <|endoftext|> ",
    "<|startoftranscript|><|en|><|transcribe|><|0.00|> Hello world.<|1.50|><|endoftext|>",
    "<|startoftranscript|><|notimestamps|> text",
    "<|0.00|> a <|0.02|> b <|30.00|>",
    "<unk> <pad> <mask> </s>",
    "The <mask> is here.",
    "<extra_id_0> blank <extra_id_1> spans <extra_id_2>",
    "<|user|>\nWhat is 2+2?<|end|>\n<|assistant|>\n4<|end|>",
    "<|system|>   You are helpful.<|end|>",
    "<|user|>   spaces after (rstrip)",
    "text </s>   more text",
    "<0x41><0xE2><0x82><0xAC>",
    "\u2581already\u2581metaspace\u2581text",
    "\u0120G-dot and \u010a C-dot characters",
    "##ing ##s subword prefixes",
    "[UNK] is not unknown here",
    "<|im_start|>user\nhi<|im_end|>",
    "[CLS][CLS][SEP][SEP]",
    "x<s>y</s>z",
]

PRINTABLE = [chr(c) for c in range(0x20, 0x7F)]
ONE_CHARS = ["中", "あ", "ア", "한", "😀", "é", "\u0301", "ß", "İ", "ı", "ﬁ", "\u00a0", "\u200b",
             "\ufeff", "€", "𝄞", "👍🏽", "\u3000", "\t", "\n", "\r", "\x00", "Ω", "я", "ع", "א", "क",
             "ก", "Ǆ", "\ufffd"]

QUESTIONS = ["What is the capital of France?", "Who wrote the report?", "When did the meeting start?",
             "Why is tokenization important?", "How many apples are there?", "Where is the library?",
             "What does the model predict?", "Which river flows through the city?",
             "Is this sentence in English?", "What happened on 12 March 2021?", "¿Dónde está la estación?",
             "北京是哪个国家的首都？", "Что такое токенизация?", "What is the meaning of [MASK]?",
             "How do I use <|endoftext|>?", "Who is 👨‍👩‍👧‍👦?", "What's 2+2?"]


# --------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------

def sentence(rng):
    s = "%s %s %s %s" % (rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(ADVERBIALS))
    if rng.random() < 0.4:
        s += "%s %s %s" % (rng.choice(CONNECT), rng.choice(SUBJECTS).lower(), rng.choice(VERBS)) + " " + rng.choice(OBJECTS)
    if s.count("(") > s.count(")"):
        s += ")"
    return s + rng.choice(ENDINGS)


def zalgo(rng, text, k):
    out = []
    for ch in text:
        out.append(ch)
        for _ in range(rng.randint(0, k)):
            out.append(chr(rng.randint(0x300, 0x36F)))
    return "".join(out)


def multi_pool():
    return [s for lang in sorted(MULTI) for s in MULTI[lang]]


def fragment(rng):
    """A random short fragment from any category (for fuzz-like mixes)."""
    kind = rng.randrange(9)
    if kind == 0:
        return sentence(rng)
    if kind == 1:
        return rng.choice(multi_pool())
    if kind == 2:
        return rng.choice(EMOJI)
    if kind == 3:
        return rng.choice(NFKC)
    if kind == 4:
        return rng.choice(WHITESPACE_KINDS) * rng.randint(1, 3)
    if kind == 5:
        return rng.choice(NUMBERS)
    if kind == 6:
        return rng.choice(SPECIAL_LITERALS)
    if kind == 7:
        return rng.choice(COMBINING)
    return rng.choice(PROSE)


def long_document(rng, k):
    """A document of >= 2700 characters (> 512 tokens for every tokenizer)."""
    parts = []
    n = 0
    pool = multi_pool()
    while n < 2700:
        r = rng.random()
        if r < 0.70:
            p = sentence(rng)
        elif r < 0.80:
            p = rng.choice(PROSE)
        elif r < 0.88:
            p = rng.choice(pool)
        elif r < 0.92:
            p = rng.choice(NUMBERS) + " " + rng.choice(URLS)
        elif r < 0.95:
            p = rng.choice(EMOJI)
        else:
            p = rng.choice(CODE) if k % 4 == 3 else rng.choice(NFKC)
        sep = " "
        if rng.random() < 0.1:
            sep = "\n\n" if k % 2 == 0 else "\n"
        parts.append(p)
        parts.append(sep)
        n += len(p) + len(sep)
    return "".join(parts).strip(" ")


def build():
    rng = random.Random(SEED)
    items = []  # (category, text)

    def add(cat, s):
        items.append((cat, s))

    # Empty and one-character strings.
    add("empty", "")
    for c in PRINTABLE:
        add("onechar", c)
    for c in ONE_CHARS:
        add("onechar", c)

    # English prose.
    for s in PROSE:
        add("prose", s)
    for _ in range(110):
        add("prose", sentence(rng))
    for _ in range(30):
        add("prose", " ".join(sentence(rng) for _ in range(rng.randint(2, 4))))

    # Multilingual: each sentence, then random mixes of two.
    pool = multi_pool()
    for s in pool:
        add("multilingual", s)
    for _ in range(50):
        a, b = rng.choice(pool), rng.choice(pool)
        add("multilingual", a + rng.choice([" ", "", "\n", " - "]) + b)
    for lang in ("tr", "el", "de"):
        for s in MULTI[lang]:
            add("multilingual", s.upper())
            add("multilingual", s.lower())

    # Emoji.
    for s in EMOJI:
        add("emoji", s)
    for _ in range(15):
        add("emoji", rng.choice(PROSE)[:-1] + " " + "".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 4))))

    # Combining marks and zalgo.
    for s in COMBINING:
        add("combining", s)
    for w in ("zalgo", "He comes", "tokenizer", "héllo wörld", "ПРИВЕТ", "日本"):
        add("combining", zalgo(rng, w, 6))

    # NFKC-sensitive forms.
    for s in NFKC:
        add("nfkc", s)
    for _ in range(10):
        add("nfkc", rng.choice(NFKC) + " " + sentence(rng) + " " + rng.choice(NFKC))

    # Whitespace of every kind.
    for w in WHITESPACE_KINDS:
        add("whitespace", w)
        add("whitespace", "a%sb" % w)
        add("whitespace", "%shello world%s" % (w, w))
        add("whitespace", "word%sword%s%sword" % (w, w, w))
    for s in [" ", "  ", "   ", " " * 8, " " * 17, "a  b", "a   b    c", "  two leading", "two trailing  ",
              " hello", "hello ", " hello ", "\n\n\n", "Hello\n\nWorld", "line1\r\nline2\r\n", "\t\t\tindent",
              "a \t \n b", " \u00a0 \u3000 ", "mixed\u2003em\u2002en\u2009thin", "\u3000全角スペース\u3000",
              "end with newline\n", "\n start with newline", "x" + " " * 40 + "y", "  \n  \n  "]:
        add("whitespace", s)

    # Control characters.
    for c in list(range(0x00, 0x20)) + [0x7F, 0x80, 0x85, 0x9F]:
        add("control", "a%sb" % chr(c))
    for c in (0x00, 0x01, 0x07, 0x1B, 0x7F, 0x85):
        add("control", chr(c))
    add("control", "\x1b[31mred\x1b[0m text")
    add("control", "null\x00in\x00middle")
    add("control", "bell\x07 and backspace\x08 and form feed\x0c")
    add("control", "\ufffd replacement char \ufffd")
    add("control", "soft\u00adhyphen")
    add("control", "rtl \u202eoverride\u202c and \u200fmark")

    # Code.
    for s in CODE:
        add("code", s)

    # URLs and e-mail addresses.
    for s in URLS:
        add("url", s)

    # Numbers.
    for s in NUMBERS:
        add("number", s)
    for _ in range(15):
        add("number", "%s %d %0.3f %s" % (rng.choice(SUBJECTS), rng.randint(0, 10 ** rng.randint(1, 12)),
                                          rng.uniform(-1000, 1000), rng.choice(NUMBERS)))

    # Very long words and repeated characters.
    letters = "abcdefghijklmnopqrstuvwxyz"
    for s in ["a" * 300, "ab" * 150, "Pneumonoultramicroscopicsilicovolcanoconiosis" * 5,
              "".join(rng.choice(letters) for _ in range(250)), "x" * 1000, "!" * 200, "-" * 300,
              "=" * 80, "." * 100, "😀" * 60, "中" * 300, " " * 200, "\n" * 50, "ab " * 100,
              "hello" * 60, "".join(rng.choice(letters + letters.upper() + "0123456789+/") for _ in range(300)),
              "".join(rng.choice("0123456789abcdef") for _ in range(256)), "ACGT" * 70,
              "Donaudampfschifffahrtsgesellschaftskapitän" * 5, "_" * 120, "0" * 200, "1234567890" * 25,
              "é" * 150, "e\u0301" * 120, "Ж" * 150, "ก" * 150, "aaaa bbbb " * 40,
              "https://example.com/" + "a/" * 120,
              "supercalifragilisticexpialidocious" * 4 + " " + "antidisestablishmentarianism" * 4]:
        add("longword", s)

    # Literal special-token strings as plain text.
    for s in SPECIAL_LITERALS:
        add("special", s)
        add("special", "before %s after" % s)
    for s in SPECIAL_SENTENCES:
        add("special", s)

    # Random mixes (fuzz-like).
    for _ in range(100):
        n = rng.randint(2, 5)
        seps = ["", " ", "  ", "\n", "\t", ", ", "\u00a0"]
        add("mix", "".join(fragment(rng) + rng.choice(seps) for _ in range(n)))

    # Long documents (> 512 tokens).
    for k in range(20):
        add("longdoc", long_document(rng, k))

    # Pairs.
    texts = [t for _, t in items]
    docs = [t for c, t in items if c == "longdoc"]
    pairs = []
    for _ in range(100):  # QA-like: question + short context
        q = rng.choice(QUESTIONS)
        ctx = " ".join(sentence(rng) for _ in range(rng.randint(1, 4)))
        pairs.append([q, ctx])
    long_pairs = []
    for k in range(20):  # QA-like with a long context (300..700 chars): truncation cases
        q = rng.choice(QUESTIONS)
        d = docs[k]
        start = rng.randrange(0, 1000)
        ln = rng.randint(300, 700)
        long_pairs.append(len(pairs))
        pairs.append([q, d[start:start + ln]])
    for _ in range(50):  # random mixes of corpus strings
        a = rng.choice(texts[:-20])
        b = rng.choice(texts[:-20])
        pairs.append([a[:300], b[:300]])
    edge = [["", ""], ["", "x"], ["x", ""], ["Hello", "World"], ["[CLS]", "[SEP]"],
            ["<s>", "</s>"], ["<|endoftext|>", "<|endoftext|>"], [" ", " "], ["\n", "\t"],
            ["中文", "日本語"], ["😀", "👨‍👩‍👧‍👦"], ["a" * 300, "b"], ["b", "a" * 300],
            ["The capital of France is [MASK].", "Paris is the capital of France."],
            ["Ｆｕｌｌ　ｗｉｄｔｈ", "ﬁne ligature"], ["e\u0301", "\u00e9"],
            ["What is 2+2?", "4"], ["Question with trailing space ", " context with leading space"],
            ["  ", "  "], ["line\nbreak", "tab\there"], ["İstanbul", "ISTANBUL"],
            ["<|user|>", "<|assistant|>"], ["<extra_id_0>", "<extra_id_1>"],
            ["A long question " + "word " * 60, "short context"],
            ["short question?", "A long context " + "word " * 80],
            ["Who?", " ".join(sentence(rng) for _ in range(6))],
            ["Same", "Same"], ["1,000,000", "3.14159"], ["Привет", "مرحبا"],
            ["ｶﾀｶﾅ", "カタカナ"]]
    edge_start = len(pairs)
    pairs.extend(edge)

    # Subsets used by the fixture generator.
    cats = [c for c, _ in items]
    idx_by_cat = {}
    for i, c in enumerate(cats):
        idx_by_cat.setdefault(c, []).append(i)

    def spread(lst, n):
        if len(lst) <= n:
            return list(lst)
        return [lst[(j * len(lst)) // n] for j in range(n)]

    trunc = list(idx_by_cat["longdoc"])
    for c, n in [("prose", 14), ("multilingual", 10), ("code", 10), ("longword", 14), ("mix", 10),
                 ("special", 6), ("emoji", 4), ("whitespace", 4), ("nfkc", 4), ("empty", 1),
                 ("onechar", 3)]:
        cand = idx_by_cat[c]
        if c in ("prose", "multilingual", "mix"):  # prefer the longer ones
            cand = sorted(cand, key=lambda i: -len(texts[i]))[: 3 * n]
            cand.sort()
        trunc += spread(cand, n)
    trunc = sorted(set(trunc))

    hf = []
    for c, n in [("empty", 1), ("onechar", 6), ("prose", 14), ("multilingual", 14), ("emoji", 8),
                 ("combining", 5), ("nfkc", 8), ("whitespace", 10), ("control", 6), ("code", 6),
                 ("url", 4), ("number", 5), ("longword", 3), ("mix", 4), ("longdoc", 2)]:
        hf += spread(idx_by_cat[c], n)
    hf += spread(idx_by_cat["special"], 40)  # the transformers layer may treat these differently
    hf = sorted(set(hf))

    trunc_pairs = sorted(set(long_pairs[:14] + spread(list(range(100)), 8) + list(range(edge_start, len(pairs)))[:12]))
    hf_pairs = sorted(set(spread(list(range(100)), 15) + long_pairs[:5] + spread(list(range(120, 170)), 10)
                          + list(range(edge_start, len(pairs)))))

    subsets = {"trunc": trunc, "trunc_pairs": trunc_pairs, "hf": hf, "hf_pairs": hf_pairs,
               "longdoc": idx_by_cat["longdoc"]}
    return items, pairs, subsets


def main():
    items, pairs, subsets = build()
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "corpus.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for _, t in items:
            f.write(dumps(t) + "\n")
    with open(os.path.join(OUT, "categories.txt"), "w", encoding="utf-8", newline="\n") as f:
        for c, _ in items:
            f.write(c + "\n")
    with open(os.path.join(OUT, "pairs.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for p in pairs:
            f.write(dumps(p) + "\n")
    with open(os.path.join(OUT, "subsets.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write("{\n" + ",\n".join('  "%s": %s' % (k, json.dumps(v, separators=(",", ":")))
                                   for k, v in subsets.items()) + "\n}\n")
    counts = {}
    for c, _ in items:
        counts[c] = counts.get(c, 0) + 1
    print("corpus: %d strings, %d pairs" % (len(items), len(pairs)))
    print("categories:", ", ".join("%s=%d" % kv for kv in counts.items()))
    print("subsets:", ", ".join("%s=%d" % (k, len(v)) for k, v in subsets.items()))


if __name__ == "__main__":
    main()
