"""Bilingual text indexing shared by the catalog search and the advisor (no Django here).

- ``lexicon``: the concept, synonym and hint data (``data/lexicon.json``);
- ``tokenizer``: jieba (loaded once) for Chinese, lower-cased words for English, concept tokens;
- ``index``: TF-IDF with cosine similarity over pre-tokenised documents (``TextIndex``);
- ``store``: the per-text token cache shared by processes, and the per-version document store
  (``DocumentStore``) that both indexes are built from, so each text is tokenised once.
"""
