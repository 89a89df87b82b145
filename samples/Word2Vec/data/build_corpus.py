#!/usr/bin/env python3
"""Rebuilds corpus.txt.gz from three Debian packages. Not needed at run time.

Usage (Debian/Ubuntu, any directory):
    apt-get download r-cran-janeaustenr r-cran-tokenizers sword-text-web
    for f in *.deb; do dpkg -x "$f" extracted; done
    python3 build_corpus.py extracted corpus.txt.gz

The R packages keep their data in R's lazy-load database (Rdata.rdx: a gzip'd serialized
index; Rdata.rdb: zlib'd serialized objects at the offsets the index gives). The World English
Bible is a SWORD zText module: *.bzs lists (offset, size, uncompressed size) of zlib blocks in
*.bzz, one block per book, holding OSIS XML. Only what these files need is decoded here.
"""
import gzip
import re
import struct
import sys
import zlib


# ---- R serialization (XDR form), only the node types these data files use ----

class RReader:
    def __init__(self, data):
        self.data, self.pos, self.refs = data, 0, []

    def int(self):
        value = struct.unpack_from('>i', self.data, self.pos)[0]
        self.pos += 4
        return value

    def bytes(self, n):
        value = self.data[self.pos:self.pos + n]
        self.pos += n
        return value

    def header(self):
        if self.bytes(2) != b'X\n':
            raise ValueError('not an XDR R serialization')
        version = self.int()
        self.int(); self.int()  # writer and minimal reader R versions
        if version == 3:
            self.bytes(self.int())  # native encoding name

    def item(self):
        flags = self.int()
        kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if kind == 254:  # NILVALUE
            return None
        if kind == 255:  # reference to an earlier symbol
            return self.refs[(flags >> 8) - 1]
        if kind == 1:  # symbol
            symbol = ('sym', self.item())
            self.refs.append(symbol)
            return symbol
        if kind == 9:  # CHARSXP
            n = self.int()
            return None if n == -1 else self.bytes(n).decode('utf-8')
        if kind == 2:  # pairlist (attributes)
            attr = self.item() if has_attr else None
            tag = self.item() if has_tag else None
            return ('pair', tag, self.item(), self.item(), attr)
        if kind in (16, 19):  # character vector, list
            n = self.int()
            values = [self.item() for _ in range(n)]
        elif kind in (10, 13):  # logical, integer
            n = self.int()
            values = list(struct.unpack('>%di' % n, self.bytes(4 * n)))
        else:
            raise ValueError('unsupported R node type %d at byte %d' % (kind, self.pos))
        attr = self.item() if has_attr else None
        return ('vec', kind, values, attr)


def attribute(node, name):
    pair = node[3]
    while pair is not None:
        if pair[1] == ('sym', name):
            return pair[2]
        pair = pair[3]
    return None


def r_lazy_objects(prefix):
    """name -> list of strings, for each character vector in an R lazy-load database."""
    index = RReader(gzip.decompress(open(prefix + '.rdx', 'rb').read()))
    index.header()
    top = index.item()
    variables = top[2][attribute(top, 'names')[2].index('variables')]
    database = open(prefix + '.rdb', 'rb').read()
    result = {}
    for name, position in zip(attribute(variables, 'names')[2], variables[2]):
        offset, length = position[2]
        blob = database[offset:offset + length]
        reader = RReader(zlib.decompress(blob[4:]))  # 4 bytes: big-endian uncompressed length
        reader.header()
        result[name] = [line or '' for line in reader.item()[2]]
    return result


# ---- SWORD zText (OSIS) ----

def sword_books(module_dir):
    for testament in ('ot', 'nt'):
        index = open('%s/%s.bzs' % (module_dir, testament), 'rb').read()
        blocks = open('%s/%s.bzz' % (module_dir, testament), 'rb').read()
        for i in range(0, len(index), 12):
            offset, size, _ = struct.unpack_from('<III', index, i)
            yield zlib.decompress(blocks[offset:offset + size]).decode('utf-8')


def osis_to_text(osis):
    # Footnotes and headings are editorial, not running text: dropped with their content.
    text = re.sub(r'<note\b.*?</note>', ' ', osis, flags=re.S)
    text = re.sub(r'<title\b.*?</title>', ' ', text, flags=re.S)
    # Word and name markup wraps text inside a sentence: removed without a gap.
    text = re.sub(r'</?(w|name)\b[^>]*>', '', text)
    # Paragraph, line and verse-group boundaries become line breaks; other tags vanish.
    text = re.sub(r'<(div|l|lg|lb|item|list)\b[^>]*/?>|</(div|l|lg|item|list)>', '\n', text)
    text = re.sub(r'<[^>]+>', ' ', text)
    text = re.sub(r'[ \t]+', ' ', text)
    lines = [line.strip() for line in text.split('\n')]
    return '\n'.join(line for line in lines if line)


def moby_dick_body(text):
    start = text.index('*** START OF THIS PROJECT GUTENBERG EBOOK')
    start = text.index('\n', start) + 1
    end = text.index('End of Project Gutenberg')
    return text[start:end].lstrip('\ufeff')


def main(extracted, output):
    site = extracted + '/usr/lib/R/site-library'
    austen = r_lazy_objects(site + '/janeaustenr/data/Rdata')
    parts = []
    for name in ('sensesensibility', 'prideprejudice', 'mansfieldpark', 'emma',
                 'northangerabbey', 'persuasion'):
        parts.append('\n'.join(austen[name]))
    parts.append(moby_dick_body(r_lazy_objects(site + '/tokenizers/data/Rdata')['mobydick'][0]))
    web = extracted + '/usr/share/sword/modules/texts/ztext/engWEB2015eb'
    parts.append('\n'.join(osis_to_text(book) for book in sword_books(web)))
    corpus = '\n\n'.join(part.strip() for part in parts) + '\n'
    corpus = corpus.replace('\r\n', '\n')
    # mtime=0 keeps the archive byte-identical across rebuilds.
    with open(output, 'wb') as raw, gzip.GzipFile(filename='', mode='wb', fileobj=raw,
                                                  compresslevel=9, mtime=0) as gz:
        gz.write(corpus.encode('utf-8'))
    print('%s: %d characters, %d whitespace-separated words'
          % (output, len(corpus), len(corpus.split())))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
