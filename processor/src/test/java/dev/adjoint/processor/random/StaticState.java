package dev.adjoint.processor.random;

import dev.adjoint.processor.random.Ast.Statics;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The static side of a random program's class ({@link Statics}): its source, and its state as the oracle runs it. The
 * opaque helpers are plain static methods without a rule, not {@code @Differentiable}, with side effects: a counter,
 * a linear congruential generator in a static {@code long}, a {@code java.util.Random} in a static field, one that
 * writes into the array it is given, one that writes into {@code TABLE}. Each counts its calls in {@code calls}, so the
 * checker can see that derivative code runs them exactly as often as the original. {@code resetState()} puts
 * everything back as it was when the class was loaded: the checker calls it before every run of compiled code, and
 * each run of the oracle starts from a new {@code StaticState}.
 */
final class StaticState {
  /** The opaque helpers: the name, whether the first argument is a buffer array, how many doubles follow. */
  enum Helper {
    NEXT("next", false, 0, "counter++;\nreturn counter;"),
    LCG("lcg", false, 0,
        "seed = seed * 6364136223846793005L + 1442695040888963407L;\nreturn (seed >>> 11) * 0x1.0p-53;"),
    DRAW("draw", false, 0, "return rng.nextDouble();"),
    SHIFT("shift", false, 1, "counter++;\nreturn a0 + 0.25 * counter;"),
    FILL("fill", true, 1, "for (int j = 0; j < buf.length; j++) {\n  buf[j] = 0.5 * buf[j] + a0 + j;\n}\n"
        + "return buf.length;"),
    BUMP("bump", false, 1, "int i = Math.floorMod((int) a0, TABLE.length);\nTABLE[i] += 0.75;\nreturn TABLE[i];");

    final String method;
    final boolean buffer;
    final int doubles;
    private final String body;

    Helper(String method, boolean buffer, int doubles, String body) {
      this.method = method;
      this.buffer = buffer;
      this.doubles = doubles;
      this.body = body;
    }

    /** The number of arguments, the buffer included. */
    int arity() {
      return doubles + (buffer ? 1 : 0);
    }
  }

  static final String TABLE = "TABLE";

  /** Whether a method makes opaque calls or reads {@code TABLE}: a callee that cannot be run again (ADJ223). */
  static boolean reads(Ast.Method method) {
    String body = method.body().toString();
    return body.contains("Opaque[") || body.contains("TableRead[");
  }

  static String constant(int index) {
    return "C" + index;
  }

  /** The static members of the program class, each line without indentation: the helpers {@code used} only. */
  static List<String> members(Statics statics, java.util.Set<Helper> used) {
    List<String> lines = new java.util.ArrayList<>();
    for (int i = 0; i < statics.constants().size(); i++) {
      lines.add((statics.packageConstants() ? "" : "private ") + "static final double " + constant(i) + " = "
          + statics.constants().get(i) + ";");
    }
    String initial = statics.table().stream().map(String::valueOf).collect(Collectors.joining(", "));
    lines.add("static final double[] " + TABLE + " = {" + initial + "};");
    lines.add("static int calls;");
    lines.add("static int counter;");
    lines.add("static long seed = " + statics.seed() + "L;");
    lines.add("static java.util.Random rng = new java.util.Random(" + statics.seed() + "L);");
    lines.add("");
    lines.add("static void resetState() {");
    lines.add("  calls = 0;");
    lines.add("  counter = 0;");
    lines.add("  seed = " + statics.seed() + "L;");
    lines.add("  rng.setSeed(" + statics.seed() + "L);");
    lines.add("  double[] initial = {" + initial + "};");
    lines.add("  System.arraycopy(initial, 0, " + TABLE + ", 0, initial.length);");
    lines.add("}");
    for (Helper h : used) {
      lines.add("");
      StringBuilder params = new StringBuilder(h.buffer ? "double[] buf" : "");
      for (int a = 0; a < h.doubles; a++) {
        params.append(params.length() > 0 ? ", " : "").append("double a").append(a);
      }
      lines.add("static double " + h.method + "(" + params + ") {");
      lines.add("  calls++;");
      h.body.lines().forEach(l -> lines.add("  " + l));
      lines.add("}");
    }
    return lines;
  }

  // ---------------------------------------------------------------- the oracle's state

  int calls;
  private int counter;
  private long seed;
  private final Statics statics;
  private final Random rng;
  /** How many doubles {@code rng} has drawn: a copy draws as many. */
  private int draws;
  private final double[] table;

  StaticState(Statics statics) {
    this.statics = statics;
    seed = statics.seed();
    rng = new Random(statics.seed());
    table = statics.table().stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** A state of its own, equal to this one. */
  StaticState copy() {
    StaticState copy = new StaticState(statics);
    copy.calls = calls;
    copy.counter = counter;
    copy.seed = seed;
    for (int d = 0; d < draws; d++) {
      copy.rng.nextDouble();
    }
    copy.draws = draws;
    System.arraycopy(table, 0, copy.table, 0, table.length);
    return copy;
  }

  double table(int index) {
    if (index < 0 || index >= table.length) {
      throw new IllegalStateException("index " + index + " out of TABLE[" + table.length + "]");
    }
    return table[index];
  }

  int tableLength() {
    return table.length;
  }

  /** Runs {@code helper} as the compiled one does: writes into {@code buffer} (null if it takes none), returns. */
  double call(Helper helper, double[] buffer, double[] args) {
    calls++;
    switch (helper) {
      case NEXT:
        counter++;
        return counter;
      case LCG:
        seed = seed * 6364136223846793005L + 1442695040888963407L;
        return (seed >>> 11) * 0x1.0p-53;
      case DRAW:
        draws++;
        return rng.nextDouble();
      case SHIFT:
        counter++;
        return args[0] + 0.25 * counter;
      case FILL:
        for (int j = 0; j < buffer.length; j++) {
          buffer[j] = 0.5 * buffer[j] + args[0] + j;
        }
        return buffer.length;
      case BUMP:
        int i = Math.floorMod((int) args[0], table.length);
        table[i] += 0.75;
        return table[i];
      default:
        throw new IllegalArgumentException(String.valueOf(helper));
    }
  }
}
