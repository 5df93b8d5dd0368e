package io.quorumkv.client.bench;

import io.quorumkv.common.wire.KvOp;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The operations a benchmark sends and their weights, as in {@code put:50,read:50}: each request
 * is one of them, drawn at random in proportion to its weight. Only put and read are offered: a
 * create, update or delete of a random key mostly measures refusals (the key exists, or does
 * not), not the store's speed.
 */
public final class OpMix {

  private final KvOp[] ops;
  /** Cumulative weights, parallel to {@link #ops}; the last is the total. */
  private final int[] upTo;
  private final Map<KvOp, Integer> weights;

  private OpMix(Map<KvOp, Integer> weights) {
    this.weights = Map.copyOf(weights);
    List<KvOp> chosen = new ArrayList<>(weights.keySet());
    ops = chosen.toArray(KvOp[]::new);
    upTo = new int[ops.length];
    int total = 0;
    for (int i = 0; i < ops.length; i++) {
      total += weights.get(ops[i]);
      upTo[i] = total;
    }
  }

  /**
   * Parses {@code op:weight[,op:weight...]} with op {@code put} or {@code read} (alias
   * {@code get}) and whole weights 0..1000 that do not all add up to 0.
   *
   * @throws IllegalArgumentException with a message for a person
   */
  public static OpMix parse(String text) {
    Map<KvOp, Integer> weights = new EnumMap<>(KvOp.class);
    for (String part : text.split(",", -1)) {
      String[] pair = part.trim().split(":", -1);
      if (pair.length != 2) {
        throw new IllegalArgumentException("--mix wants op:weight[,op:weight...], got '" + text
            + "'");
      }
      KvOp op = switch (pair[0].trim().toLowerCase(java.util.Locale.ROOT)) {
        case "put" -> KvOp.PUT;
        case "read", "get" -> KvOp.READ;
        default -> throw new IllegalArgumentException("--mix: operation must be put or read, got '"
            + pair[0].trim() + "'");
      };
      int weight;
      try {
        weight = Integer.parseInt(pair[1].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--mix: weight of " + pair[0].trim()
            + " must be a whole number, got '" + pair[1].trim() + "'");
      }
      if (weight < 0 || weight > 1000) {
        throw new IllegalArgumentException("--mix: weights must be 0..1000, got " + weight);
      }
      if (weights.put(op, weight) != null) {
        throw new IllegalArgumentException("--mix names " + pair[0].trim() + " twice");
      }
    }
    weights.values().removeIf(w -> w == 0);
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("--mix: the weights add up to 0");
    }
    return new OpMix(weights);
  }

  /** One operation, drawn in proportion to the weights. */
  public KvOp next(RandomGenerator random) {
    if (ops.length == 1) {
      return ops[0];
    }
    int draw = random.nextInt(upTo[upTo.length - 1]);
    int i = 0;
    while (draw >= upTo[i]) {
      i++;
    }
    return ops[i];
  }

  /** Whether reads are part of the mix (then keys are worth preloading). */
  public boolean reads() {
    return weights.containsKey(KvOp.READ);
  }

  /** The operations with a weight above 0, in {@link KvOp} order. */
  public List<KvOp> ops() {
    return List.of(ops);
  }

  /** The mix as parsed, for reports: {@code put:50,read:50}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (KvOp op : ops) {
      out.append(out.length() == 0 ? "" : ",").append(op.wireName()).append(':')
          .append(weights.get(op));
    }
    return out.toString();
  }
}
