package dev.adjoint.processor.ir;

import java.util.List;

/** Expressions of the IR: side-effect free, typed, each remembering where it came from. */
public sealed interface Expr {

  Type type();

  SourcePosition position();

  /** Calls the visitor's method for this kind of expression. */
  <R> R accept(Visitor<R> visitor);

  /**
   * One method per kind of expression: a pass written as a visitor stops compiling when a kind is
   * added, until it says what that kind means to it.
   */
  interface Visitor<R> {
    R visitLiteral(Literal literal);

    R visitRead(Read read);

    R visitConstant(Constant constant);

    R visitArrayRead(ArrayRead read);

    R visitLength(Length length);

    R visitUnary(Unary unary);

    R visitBinary(Binary binary);

    R visitCast(Cast cast);

    R visitConditional(Conditional conditional);

    R visitCall(Call call);

    R visitNewArray(NewArray array);

    R visitArrayLiteral(ArrayLiteral literal);

    R visitNewRecord(NewRecord record);

    R visitPop(Pop pop);

    R visitPartialOf(PartialOf partial);

    R visitFunctionRef(FunctionRef reference);
  }

  /** A number or boolean written in the source; {@code value} is a Double, Integer, Long or Boolean. */
  record Literal(Object value, Type type, SourcePosition position) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitLiteral(this);
    }

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
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitRead(this);
    }

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
      implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitConstant(this);
    }
  }

  record ArrayRead(Expr array, Expr index, SourcePosition position) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitArrayRead(this);
    }

    @Override
    public Type type() {
      return array.type().element();
    }
  }

  record Length(Expr array, SourcePosition position) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitLength(this);
    }

    @Override
    public Type type() {
      return Type.INT;
    }
  }

  record Unary(UnaryOperator operator, Expr operand, SourcePosition position) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitUnary(this);
    }

    @Override
    public Type type() {
      return operator == UnaryOperator.NOT ? Type.BOOLEAN : operand.type();
    }
  }

  record Binary(BinaryOperator operator, Expr left, Expr right, Type type, SourcePosition position)
      implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitBinary(this);
    }

    public static Binary of(BinaryOperator operator, Expr left, Expr right) {
      Type type = operator.isArithmetic() ? Type.promote(left.type(), right.type()) : Type.BOOLEAN;
      return new Binary(operator, left, right, type, SourcePosition.SYNTHETIC);
    }
  }

  record Cast(Type type, Expr operand, SourcePosition position) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitCast(this);
    }
  }

  record Conditional(
      Expr condition, Expr whenTrue, Expr whenFalse, Type type, SourcePosition position)
      implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitConditional(this);
    }
  }

  /** A call of a static method; {@link Callee} says how (and whether) it is differentiated. */
  record Call(Callee callee, List<Expr> arguments, SourcePosition position) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitCall(this);
    }

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
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitNewArray(this);
    }

    public NewArray {
      dimensions = List.copyOf(dimensions);
    }
  }

  /** {@code {a, b, c}} or {@code new double[] {a, b, c}}. */
  record ArrayLiteral(Type type, List<Expr> elements, SourcePosition position) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitArrayLiteral(this);
    }

    public ArrayLiteral {
      elements = List.copyOf(elements);
    }
  }

  /**
   * {@code new Point(a, b)}: a record built from its components, in canonical order (a nested
   * record is a {@code NewRecord} of its own), named by its accessors. Only as an argument of a
   * call: everywhere else the front end takes records apart into their components.
   */
  record NewRecord(Type type, List<String> accessors, List<Expr> components, SourcePosition position)
      implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitNewRecord(this);
    }

    public NewRecord {
      accessors = List.copyOf(accessors);
      components = List.copyOf(components);
    }

  }

  /** A value popped from the reverse sweep's tape (generated code only). */
  record Pop(Type type) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitPop(this);
    }

    @Override
    public SourcePosition position() {
      return SourcePosition.SYNTHETIC;
    }
  }

  /**
   * Partial of a callee's gradient object, read after its pullback ran (generated code only); for a
   * record parameter, {@code components} are the accessors down to one of its leaves
   * ({@code gradient.s().from().x()}).
   */
  record PartialOf(Variable gradient, String parameter, List<String> components, Type type) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitPartialOf(this);
    }

    public PartialOf {
      components = List.copyOf(components);
    }

    public PartialOf(Variable gradient, String parameter, Type type) {
      this(gradient, parameter, List.of(), type);
    }

    /** The partial of the record component {@code accessor} of this one. */
    public PartialOf component(String accessor, Type componentType) {
      List<String> path = new java.util.ArrayList<>(components);
      path.add(accessor);
      return new PartialOf(gradient, parameter, path, componentType);
    }

    @Override
    public SourcePosition position() {
      return SourcePosition.SYNTHETIC;
    }
  }

  /**
   * A method reference {@code Owner::method} handed to a function with derivative rules, whose
   * parameter of functional interface {@code shape} takes it: data, never differentiated itself.
   * {@code target} is the referenced method (null until the call it is an argument of is resolved).
   * In the arguments of a rule that takes the interface {@code differentiableInterface} (the rule's
   * {@code D}, which extends the shape's interface with {@code pullback} and {@code tangent}), it
   * stands for an object of that interface built from the target's generated derivatives; else
   * {@code differentiableInterface} is null and it is the method reference itself.
   */
  record FunctionRef(FunctionShape shape, Callee.Differentiable target, String differentiableInterface,
      SourcePosition position) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitFunctionRef(this);
    }

    /** Not yet resolved: the reference as written, before the call's overload is chosen. */
    public static FunctionRef unresolved(SourcePosition position) {
      return new FunctionRef(null, null, null, position);
    }

    @Override
    public Type type() {
      return differentiableInterface != null ? Type.object(differentiableInterface)
          : shape != null ? shape.type() : Type.object("java.lang.Object");
    }

    /** The same reference as a rule taking {@code differentiableInterface} receives it. */
    public FunctionRef forRule(String differentiableInterface) {
      return new FunctionRef(shape, target, differentiableInterface, position);
    }
  }
}
