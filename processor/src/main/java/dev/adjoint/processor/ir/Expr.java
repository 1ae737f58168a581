package dev.adjoint.processor.ir;

import java.util.List;

/** Expressions of the IR: side-effect free, typed, each remembering where it came from. */
public sealed interface Expr {

  Type type();

  SourcePosition position();

  /** A number or boolean written in the source; {@code value} is a Double, Integer, Long or Boolean. */
  record Literal(Object value, Type type, SourcePosition position) implements Expr {
    public static Literal ofDouble(double value) {
      return new Literal(value, Type.DOUBLE, SourcePosition.SYNTHETIC);
    }

    public static Literal ofInt(int value) {
      return new Literal(value, Type.INT, SourcePosition.SYNTHETIC);
    }

    public static Literal ofBoolean(boolean value) {
      return new Literal(value, Type.BOOLEAN, SourcePosition.SYNTHETIC);
    }
  }

  record Read(Variable variable, SourcePosition position) implements Expr {
    public Read(Variable variable) {
      this(variable, SourcePosition.SYNTHETIC);
    }

    @Override
    public Type type() {
      return variable.type();
    }
  }

  /** A {@code static final} field of some class, such as {@code Math.PI}: never differentiated. */
  record Constant(String ownerQualifiedName, String field, Type type, SourcePosition position)
      implements Expr {}

  record ArrayRead(Expr array, Expr index, SourcePosition position) implements Expr {
    @Override
    public Type type() {
      return array.type().element();
    }
  }

  record Length(Expr array, SourcePosition position) implements Expr {
    @Override
    public Type type() {
      return Type.INT;
    }
  }

  record Unary(UnaryOperator operator, Expr operand, SourcePosition position) implements Expr {
    @Override
    public Type type() {
      return operator == UnaryOperator.NOT ? Type.BOOLEAN : operand.type();
    }
  }

  record Binary(BinaryOperator operator, Expr left, Expr right, Type type, SourcePosition position)
      implements Expr {
    public static Binary of(BinaryOperator operator, Expr left, Expr right) {
      Type type = operator.isArithmetic() ? Type.promote(left.type(), right.type()) : Type.BOOLEAN;
      return new Binary(operator, left, right, type, SourcePosition.SYNTHETIC);
    }
  }

  record Cast(Type type, Expr operand, SourcePosition position) implements Expr {}

  record Conditional(
      Expr condition, Expr whenTrue, Expr whenFalse, Type type, SourcePosition position)
      implements Expr {}

  /** A call of a static method; {@link Callee} says how (and whether) it is differentiated. */
  record Call(Callee callee, List<Expr> arguments, SourcePosition position) implements Expr {
    public Call {
      arguments = List.copyOf(arguments);
    }

    @Override
    public Type type() {
      return callee.returnType();
    }
  }

  /** {@code new double[n]} or {@code new double[n][m]}: an array of zeros. */
  record NewArray(Type type, List<Expr> dimensions, SourcePosition position) implements Expr {
    public NewArray {
      dimensions = List.copyOf(dimensions);
    }
  }

  /** {@code {a, b, c}} or {@code new double[] {a, b, c}}. */
  record ArrayLiteral(Type type, List<Expr> elements, SourcePosition position) implements Expr {
    public ArrayLiteral {
      elements = List.copyOf(elements);
    }
  }

  /** A value popped from the reverse sweep's tape (generated code only). */
  record Pop(Type type) implements Expr {
    @Override
    public SourcePosition position() {
      return SourcePosition.SYNTHETIC;
    }
  }

  /** Partial of a callee's gradient object, read after its pullback ran (generated code only). */
  record PartialOf(Variable gradient, String parameter, Type type) implements Expr {
    @Override
    public SourcePosition position() {
      return SourcePosition.SYNTHETIC;
    }
  }
}
