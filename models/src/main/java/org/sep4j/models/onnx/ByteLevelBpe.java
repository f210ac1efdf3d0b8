package org.sep4j.models.onnx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sep4j.core.io.Json;

/**
 * The byte-level BPE tokenizer of GPT-2 and RoBERTa (CLAP's text encoder), from a {@code vocab.json}
 * (token → id) and a {@code merges.txt} (one merge per line, highest priority first). Text is split
 * into words by GPT-2's pattern, each word's UTF-8 bytes are mapped to printable characters (space
 * becomes {@code Ġ}), and adjacent pairs are merged by rank until no ranked pair remains.
 * {@link #encode} adds RoBERTa's {@code <s> … </s>}, truncates and pads to a fixed length.
 */
public final class ByteLevelBpe {

    /** GPT-2's pre-tokeniser: contractions, letters, digits, other symbols, each with its leading space. */
    private static final Pattern WORDS = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");
    private static final char[] BYTE_CHAR = byteToChar();

    /** Token ids and the attention mask (1 for tokens, 0 for padding), each {@code [length]}. */
    public record Encoding(long[] ids, long[] mask) {}

    private final Map<String, Integer> vocab;
    private final Map<String, Integer> ranks;
    private final Map<String, List<String>> cache = new ConcurrentHashMap<>();
    private final int bos;
    private final int eos;
    private final int pad;

    public ByteLevelBpe(Map<String, Integer> vocab, List<String> merges) {
        this.vocab = Map.copyOf(vocab);
        this.ranks = new HashMap<>();
        for (int i = 0; i < merges.size(); i++) {
            ranks.putIfAbsent(merges.get(i), i);
        }
        this.bos = special("<s>");
        this.eos = special("</s>");
        this.pad = special("<pad>");
    }

    /** Reads {@code vocab.json} and {@code merges.txt} (a {@code #version} first line is skipped). */
    public static ByteLevelBpe load(Path vocabJson, Path mergesTxt) throws IOException {
        Map<String, Integer> vocab = new HashMap<>();
        try {
            if (!(Json.parse(Files.readString(vocabJson, StandardCharsets.UTF_8)) instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("not a JSON object");
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                vocab.put((String) e.getKey(), ((Number) e.getValue()).intValue());
            }
        } catch (RuntimeException e) {
            throw new IOException(vocabJson + ": expected a JSON object of token -> id (a tokenizer's vocab.json): "
                    + e.getMessage(), e);
        }
        List<String> merges = new ArrayList<>();
        int line = 0;
        for (String l : Files.readAllLines(mergesTxt, StandardCharsets.UTF_8)) {
            line++;
            if (l.startsWith("#version") || l.isBlank()) {
                continue;
            }
            String[] pair = l.split(" ");
            if (pair.length != 2) {
                throw new IOException(mergesTxt + ":" + line + ": expected two tokens separated by one space, found '" + l + "'");
            }
            merges.add(l);
        }
        return new ByteLevelBpe(vocab, merges);
    }

    /** Ids of the learned vocabulary's special tokens, RoBERTa's order. */
    private static final List<String> SPECIALS = List.of("<s>", "<pad>", "</s>", "<unk>");

    /**
     * Learns a vocabulary from a corpus, as GPT-2's BPE was learned: RoBERTa's four special tokens,
     * the 256 byte symbols, then {@code merges} times the most frequent adjacent pair within words
     * (ties to the lexicographically first, so the result depends on the corpus alone) merged into a
     * new token. Any text encodes afterwards: unseen words fall back to smaller pieces and bytes.
     */
    public static ByteLevelBpe learn(Iterable<String> corpus, int merges) {
        Map<List<String>, Integer> words = new HashMap<>();
        for (String text : corpus) {
            Matcher m = WORDS.matcher(text);
            while (m.find()) {
                List<String> symbols = new ArrayList<>();
                for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) {
                    symbols.add(String.valueOf(BYTE_CHAR[b & 0xff]));
                }
                words.merge(symbols, 1, Integer::sum);
            }
        }
        Map<String, Integer> vocab = new java.util.LinkedHashMap<>();
        SPECIALS.forEach(t -> vocab.put(t, vocab.size()));
        for (char c : BYTE_CHAR) {
            vocab.put(String.valueOf(c), vocab.size());
        }
        List<String> learned = new ArrayList<>();
        Map<List<String>, Integer> current = words;
        for (int k = 0; k < merges; k++) {
            Map<String, Integer> pairs = new HashMap<>();
            current.forEach((w, n) -> {
                for (int i = 0; i + 1 < w.size(); i++) {
                    pairs.merge(w.get(i) + " " + w.get(i + 1), n, Integer::sum);
                }
            });
            String best = null;
            int bestCount = 0;
            for (Map.Entry<String, Integer> e : pairs.entrySet()) {
                if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best == null) {
                break; // every word is one token
            }
            String[] ab = best.split(" ");
            learned.add(best);
            vocab.putIfAbsent(ab[0] + ab[1], vocab.size());
            Map<List<String>, Integer> next = new HashMap<>();
            current.forEach((w, n) -> {
                List<String> out = new ArrayList<>(w.size());
                for (int i = 0; i < w.size(); i++) {
                    if (i + 1 < w.size() && w.get(i).equals(ab[0]) && w.get(i + 1).equals(ab[1])) {
                        out.add(ab[0] + ab[1]);
                        i++;
                    } else {
                        out.add(w.get(i));
                    }
                }
                next.merge(out, n, Integer::sum);
            });
            current = next;
        }
        return new ByteLevelBpe(vocab, learned);
    }

    /** Writes {@code vocab.json} and {@code merges.txt} into {@code dir} (atomically), as {@link #load} reads them. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(vocab.entrySet());
        entries.sort(Map.Entry.comparingByValue());
        Map<String, Object> ordered = new java.util.LinkedHashMap<>();
        entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        org.sep4j.core.io.AtomicFiles.writeString(dir.resolve("vocab.json"), Json.write(ordered));
        List<String> merges = new ArrayList<>(ranks.keySet());
        merges.sort(java.util.Comparator.comparing(ranks::get));
        org.sep4j.core.io.AtomicFiles.writeString(dir.resolve("merges.txt"), "#version: 0.2\n" + String.join("\n", merges) + "\n");
    }

    /** Tokens in the vocabulary (the text tower's embedding rows). */
    public int vocabularySize() {
        return vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    }

    private int special(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException("the vocabulary has no " + token + " token (a RoBERTa/CLAP vocab.json has <s>, </s> "
                    + "and <pad>)");
        }
        return id;
    }

    /** BPE tokens of a text, without special tokens. */
    public List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORDS.matcher(text);
        while (m.find()) {
            byte[] utf8 = m.group().getBytes(StandardCharsets.UTF_8);
            StringBuilder w = new StringBuilder(utf8.length);
            for (byte b : utf8) {
                w.append(BYTE_CHAR[b & 0xff]);
            }
            out.addAll(cache.computeIfAbsent(w.toString(), this::merge));
        }
        return out;
    }

    /** Token ids of a text, without special tokens. */
    public int[] ids(String text) {
        List<String> t = tokens(text);
        int[] ids = new int[t.size()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = vocab.get(t.get(i));
            if (id == null) {
                throw new IllegalStateException("token '" + t.get(i) + "' of '" + text + "' is not in the vocabulary: vocab.json "
                        + "and merges.txt do not belong together");
            }
            ids[i] = id;
        }
        return ids;
    }

    /** {@code <s> ids </s>}, cut to {@code length} (keeping {@code </s>}) and padded with {@code <pad>}. */
    public Encoding encode(String text, int length) {
        if (length < 2) {
            throw new IllegalArgumentException("a text encoding needs room for <s> and </s>, got length " + length);
        }
        int[] body = ids(text);
        int n = Math.min(body.length, length - 2);
        long[] ids = new long[length];
        long[] mask = new long[length];
        java.util.Arrays.fill(ids, pad);
        ids[0] = bos;
        for (int i = 0; i < n; i++) {
            ids[1 + i] = body[i];
        }
        ids[n + 1] = eos;
        java.util.Arrays.fill(mask, 0, n + 2, 1);
        return new Encoding(ids, mask);
    }

    /** Merges one word's symbols, lowest-ranked pair first, until no ranked pair is left. */
    private List<String> merge(String word) {
        List<String> parts = new ArrayList<>(word.length());
        word.codePoints().forEach(c -> parts.add(new String(Character.toChars(c))));
        while (parts.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer r = ranks.get(parts.get(i) + " " + parts.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            String a = parts.get(best);
            String b = parts.get(best + 1);
            List<String> next = new ArrayList<>(parts.size());
            for (int i = 0; i < parts.size(); i++) { // every occurrence of the pair, left to right
                if (i + 1 < parts.size() && parts.get(i).equals(a) && parts.get(i + 1).equals(b)) {
                    next.add(a + b);
                    i++;
                } else {
                    next.add(parts.get(i));
                }
            }
            parts.clear();
            parts.addAll(next);
        }
        return List.copyOf(parts);
    }

    /** GPT-2's reversible byte → character map: printable Latin-1 bytes stand for themselves, the rest move to 256+. */
    private static char[] byteToChar() {
        char[] map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char) b : (char) next++;
        }
        return map;
    }
}
