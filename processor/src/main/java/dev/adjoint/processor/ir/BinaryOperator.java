package dev.adjoint.processor.ir;

/** Binary operators with Java's precedence (higher binds tighter). */
public enum BinaryOperator {
  MULTIPLY("*", 12),
  DIVIDE("/", 12),
  REMAINDER("%", 12),
  ADD("+", 11),
  SUBTRACT("-", 11),
  LESS("<", 9),
  LESS_EQUAL("<=", 9),
  GREATER(">", 9),
  GREATER_EQUAL(">=", 9),
  EQUAL("==", 8),
  NOT_EQUAL("!=", 8),
  AND("&&", 4),
  OR("||", 3);

  private final String symbol;
  private final int precedence;

  BinaryOperator(String symbol, int precedence) {
    this.symbol = symbol;
    this.precedence = precedence;
  }

  public String symbol() {
    return symbol;
  }

  public int precedence() {
    return precedence;
  }

  public boolean isArithmetic() {
    return precedence >= 11;
  }

  /**
   * Whether {@code a op (b op c)} equals {@code (a op b) op c} to the last bit, so that printing
   * needs no parentheses. Floating-point addition and multiplication are not.
   */
  public boolean isAssociative() {
    return this == AND || this == OR;
  }
}
