package io.quorumkv.bench;

import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Envelope;
import java.util.Arrays;
import java.util.Map;

/**
 * Prints the datagram size of each hot message in JSON (as {@link Codec} sends it), Smile and
 * CBOR, and each binary size as a fraction of the JSON one: the numbers in the README's
 * performance section. Sizes are exact, not measured, so they need no JMH.
 */
public final class WireSizes {

  private WireSizes() {
  }

  public static void main(String[] args) {
    if (args.length > 0) {
      System.err.println("usage: scripts/jmh.sh --sizes (no arguments)");
      System.exit(2);
    }
    Codec codec = new Codec();
    WireFormat[] formats = WireFormat.values();
    long[] totals = new long[formats.length];
    System.out.printf("%-20s %6s %6s %6s %11s %10s%n",
        "message", "json", "smile", "cbor", "smile/json", "cbor/json");
    for (Map.Entry<String, Envelope> entry : HotMessages.ALL.entrySet()) {
      byte[] json = codec.encode(entry.getValue());
      if (!Arrays.equals(json, WireFormat.JSON.encodeChecked(entry.getValue()))) {
        throw new IllegalStateException("the codec and plain JSON differ on " + entry.getKey());
      }
      int[] sizes = new int[formats.length];
      for (int f = 0; f < formats.length; f++) {
        sizes[f] = formats[f].encodeChecked(entry.getValue()).length;
        totals[f] += sizes[f];
      }
      row(entry.getKey(), sizes[0], sizes[1], sizes[2]);
    }
    row("all " + HotMessages.ALL.size(), totals[0], totals[1], totals[2]);
  }

  private static void row(String name, long json, long smile, long cbor) {
    System.out.printf("%-20s %6d %6d %6d %11.2f %10.2f%n",
        name, json, smile, cbor, (double) smile / json, (double) cbor / json);
  }
}
