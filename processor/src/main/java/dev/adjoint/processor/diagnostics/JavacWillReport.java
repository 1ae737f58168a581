package dev.adjoint.processor.diagnostics;

/**
 * Code that javac itself rejects, whatever later rounds of processing generate (a type mismatch,
 * a method missing from a class that exists): it lands in the method's {@link Report}, which
 * abandons the method without a message of ours, so that javac's own error stands alone. A name
 * that does not resolve at all is not this but {@link Message#UNRESOLVED_NAME}.
 */
public final class JavacWillReport extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JavacWillReport(String why) {
    super(why, null, false, false);
  }
}
