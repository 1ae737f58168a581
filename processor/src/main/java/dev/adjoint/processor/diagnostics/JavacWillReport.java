package dev.adjoint.processor.diagnostics;

/**
 * Code that javac itself rejects (an unknown name, a type mismatch): the method is skipped
 * without a message of ours, so that javac's own error stands alone.
 */
public final class JavacWillReport extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JavacWillReport(String why) {
    super(why, null, false, false);
  }
}
