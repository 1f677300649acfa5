package dev.coldspy.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded, seeded fuzzer for each reader: valid profiles mutated (bit flips, boundary integers, cut, repeated
 * and spliced ranges, inserted opcodes or control characters, huge numbers) must each either read and merge, or
 * fail with one printable line naming the file, in well under a second. Any other outcome (an exception, an
 * error, the reader's internal-error safety net, a slow input) fails the test with the seed and iteration, and
 * the input is kept under {@code target/fuzz-failures} to reproduce it.
 *
 * <p>{@code -Dcoldspy.fuzz.iterations=N} sets the inputs per reader (default {@value #DEFAULT_ITERATIONS}, a few
 * seconds in all); {@code -Dcoldspy.fuzz.seed=S} the seed. {@code docs/benchmarks.md} records a long run.
 */
class ReaderFuzzTest {
  private static final int DEFAULT_ITERATIONS = 1000;
  private static final long SLOW_INPUT_NANOS = 2_000_000_000L;
  private static final int[] PICKLE_OPCODES = {'(', '.', '0', '1', '2', 'I', 'L', 'F', 'J', 'K', 'M', 'N', 'S',
      'T', 'U', 'V', 'X', 'a', 'd', '}', 'e', 'g', 'h', 'j', 'l', ']', 'p', 'q', 'r', 's', 't', ')', 'u', 'G',
      'c', 'R', 'b', 0x80, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x93,
      0x94, 0x95, 0x96};
  private static final byte[][] BOUNDARY_INTEGERS = {
      {0, 0, 0, 0}, {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
      {0, 0, 0, (byte) 0x80}, {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
      (byte) 0xff, 0x7f}, {(byte) 0xff}, {(byte) 0x80}};
  private static final List<String> HOSTILE_TEXT = List.of("9223372036854775807", "-9223372036854775808",
      "99999999999999999999999", "-1", "0", "1e308", "\u001b[2J", "\u202e", "\\u0000", "null", "[", "{", "\"",
      "\n", "   ");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+");

  @TempDir Path dir;

  @Test
  void jsonReader() throws IOException {
    fuzz("json", List.of(TestProfiles.ordersRun1(), TestProfiles.ordersRun2()), false);
  }

  @Test
  void pickleReader() throws IOException {
    fuzz("pickle", List.of(TestProfiles.templateAppPickle(), TestProfiles.reportAppPickle()), true);
  }

  @Test
  void importtimeReader() throws IOException {
    fuzz("importtime", List.of(TestProfiles.csvAppLog()), false);
  }

  private void fuzz(String reader, List<Path> seeds, boolean binary) throws IOException {
    int iterations = Integer.getInteger("coldspy.fuzz.iterations", DEFAULT_ITERATIONS);
    long seed = Long.getLong("coldspy.fuzz.seed", 13L) ^ reader.hashCode();
    Random random = new Random(seed);
    List<byte[]> corpus = seeds.stream().map(ReaderFuzzTest::bytes).toList();
    int read = 0;
    int rejected = 0;
    long slowest = 0;
    for (int i = 0; i < iterations; i++) {
      int from = random.nextInt(seeds.size());
      byte[] input = corpus.get(from);
      int mutations = 1 + random.nextInt(4);
      for (int m = 0; m < mutations; m++) {
        input = mutate(input, corpus, random, binary);
      }
      // Mostly the seed's name (its extension picks the reader); sometimes a neutral one (the content does).
      String name = random.nextInt(10) == 0 ? "fuzz_app-1.txt" : seeds.get(from).getFileName().toString();
      Path file = dir.resolve(name);
      Files.write(file, input);
      long start = System.nanoTime();
      try {
        Profile profile = ProfileReader.read(file);
        ProfileSet.of(List.of(profile)); // what every command does next
        read++;
      } catch (ProfileFormatException e) {
        String message = e.getMessage();
        assertTrue(message.startsWith(file + ": "), message);
        assertEquals(1, message.lines().count(), message);
        assertEquals(PrintableText.of(message), message, "control characters in the message");
        assertFalse(message.contains("internal error"), message);
        rejected++;
      } catch (Throwable t) {
        keep(reader, i, input);
        fail(reader + " fuzz seed " + seed + " iteration " + i + ": " + t, t);
      }
      long took = System.nanoTime() - start;
      slowest = Math.max(slowest, took);
      if (took > SLOW_INPUT_NANOS) {
        keep(reader, i, input);
        fail(reader + " fuzz seed " + seed + " iteration " + i + " took " + took / 1_000_000 + " ms");
      }
    }
    System.out.printf("fuzz %s: %d inputs (seed %d): %d read, %d rejected with one line, none crashed;"
        + " slowest %d ms%n", reader, iterations, seed, read, rejected, slowest / 1_000_000);
    assertEquals(iterations, read + rejected);
  }

  private static byte[] mutate(byte[] input, List<byte[]> corpus, Random random, boolean binary) {
    int length = input.length;
    if (length == 0) {
      return corpus.get(0).clone();
    }
    int at = random.nextInt(length);
    switch (random.nextInt(binary ? 8 : 9)) {
      case 0 -> { // flip bits
        byte[] out = input.clone();
        out[at] ^= (byte) (1 << random.nextInt(8));
        return out;
      }
      case 1 -> { // cut
        return Arrays.copyOf(input, at);
      }
      case 2 -> { // delete a range
        int end = Math.min(length, at + 1 + random.nextInt(64));
        return concat(Arrays.copyOfRange(input, 0, at), Arrays.copyOfRange(input, end, length));
      }
      case 3 -> { // repeat a range
        int end = Math.min(length, at + 1 + random.nextInt(256));
        byte[] range = Arrays.copyOfRange(input, at, end);
        return concat(Arrays.copyOfRange(input, 0, end), range, Arrays.copyOfRange(input, end, length));
      }
      case 4 -> { // overwrite with a boundary integer
        byte[] out = input.clone();
        byte[] value = BOUNDARY_INTEGERS[random.nextInt(BOUNDARY_INTEGERS.length)];
        System.arraycopy(value, 0, out, at, Math.min(value.length, length - at));
        return out;
      }
      case 5 -> { // splice in a range of another seed
        byte[] other = corpus.get(random.nextInt(corpus.size()));
        int from = random.nextInt(other.length);
        int end = Math.min(other.length, from + 1 + random.nextInt(512));
        return concat(Arrays.copyOfRange(input, 0, at), Arrays.copyOfRange(other, from, end),
            Arrays.copyOfRange(input, at, length));
      }
      case 6 -> { // insert a byte: an opcode or a control character
        byte inserted = binary ? (byte) PICKLE_OPCODES[random.nextInt(PICKLE_OPCODES.length)]
            : (byte) random.nextInt(0x20);
        return concat(Arrays.copyOfRange(input, 0, at), new byte[] {inserted}, Arrays.copyOfRange(input, at, length));
      }
      case 7 -> { // insert hostile text
        byte[] text = HOSTILE_TEXT.get(random.nextInt(HOSTILE_TEXT.size())).getBytes(StandardCharsets.UTF_8);
        return concat(Arrays.copyOfRange(input, 0, at), text, Arrays.copyOfRange(input, at, length));
      }
      default -> { // replace a number of the text with a boundary value
        String text = new String(input, StandardCharsets.ISO_8859_1);
        Matcher number = NUMBER.matcher(text);
        if (!number.find(at)) {
          return input;
        }
        String replacement = HOSTILE_TEXT.get(random.nextInt(4));
        return (text.substring(0, number.start()) + replacement + text.substring(number.end()))
            .getBytes(StandardCharsets.ISO_8859_1);
      }
    }
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void keep(String reader, int iteration, byte[] input) throws IOException {
    Path failures = Files.createDirectories(Path.of("target", "fuzz-failures"));
    Files.write(failures.resolve(reader + "-" + iteration + ".bin"), input);
  }
}
