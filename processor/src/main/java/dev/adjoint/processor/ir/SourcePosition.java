package dev.adjoint.processor.ir;

/**
 * Where an IR node came from: the javac tree (opaque here, used by diagnostics) and its line,
 * which generated code cites in comments.
 */
public record SourcePosition(Object tree, long line) {
  public static final SourcePosition SYNTHETIC = new SourcePosition(null, -1);

  public boolean isKnown() {
    return line > 0;
  }
}
