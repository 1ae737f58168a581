package dev.adjoint.processor.ir;

public enum UnaryOperator {
  NEGATE("-"),
  PLUS("+"),
  NOT("!");

  private final String symbol;

  UnaryOperator(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }
}
