package dev.adjoint.processor.ir;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;

/**
 * The types the IR knows: primitives and arrays of them, plus the objects generated code uses
 * (named by {@code className}). A type is differentiable when its elements are {@code double};
 * everything else is data.
 */
public record Type(Base base, int dimensions, String className) {

  /** Element kinds. */
  public enum Base {
    DOUBLE("double", TypeName.DOUBLE),
    INT("int", TypeName.INT),
    LONG("long", TypeName.LONG),
    BOOLEAN("boolean", TypeName.BOOLEAN),
    /** The runtime's immutable {@code dev.adjoint.runtime.Matrix}: differentiable, adjoint null until used. */
    MATRIX("Matrix", ClassName.get("dev.adjoint.runtime", "Matrix")),
    OBJECT("Object", ClassName.OBJECT);

    private final String javaName;
    private final TypeName typeName;

    Base(String javaName, TypeName typeName) {
      this.javaName = javaName;
      this.typeName = typeName;
    }
  }

  public static final Type DOUBLE = new Type(Base.DOUBLE, 0);
  public static final Type INT = new Type(Base.INT, 0);
  public static final Type LONG = new Type(Base.LONG, 0);
  public static final Type BOOLEAN = new Type(Base.BOOLEAN, 0);
  public static final Type DOUBLE_ARRAY = new Type(Base.DOUBLE, 1);
  public static final Type DOUBLE_ARRAY_2D = new Type(Base.DOUBLE, 2);
  public static final Type MATRIX = new Type(Base.MATRIX, 0);
  public static final String MATRIX_CLASS = "dev.adjoint.runtime.Matrix";
  /** A String: data, such as a switch's selector or case label. */
  public static final Type STRING = object("java.lang.String");

  public Type {
    if (dimensions < 0 || dimensions > 2) {
      throw new IllegalArgumentException("arrays of at most two dimensions: " + dimensions);
    }
    if ((base == Base.OBJECT) != (className != null)) {
      throw new IllegalArgumentException("a class name goes with OBJECT only: " + base);
    }
  }

  public Type(Base base, int dimensions) {
    this(base, dimensions, null);
  }

  /** An object of the class with this qualified (or nested, dot-separated) name. */
  public static Type object(String className) {
    return new Type(Base.OBJECT, 0, className);
  }

  public boolean isDifferentiable() {
    return base == Base.DOUBLE || (base == Base.MATRIX && dimensions == 0);
  }

  /**
   * A differentiable value held whole in one variable (a double or a matrix), as opposed to an
   * array whose elements are written one by one.
   */
  public boolean isDifferentiableValue() {
    return dimensions == 0 && isDifferentiable();
  }

  public boolean isArray() {
    return dimensions > 0;
  }

  public boolean isScalar() {
    return dimensions == 0;
  }

  /** True for int and long, the types whose arithmetic is exact and never differentiated. */
  public boolean isIntegral() {
    return dimensions == 0 && (base == Base.INT || base == Base.LONG);
  }

  public boolean isNumeric() {
    return dimensions == 0 && (base == Base.DOUBLE || base == Base.INT || base == Base.LONG);
  }

  public Type element() {
    if (dimensions == 0) {
      throw new IllegalStateException(this + " has no elements");
    }
    return new Type(base, dimensions - 1, className);
  }

  public Type arrayOf() {
    return new Type(base, dimensions + 1, className);
  }

  /** The wider of two numeric types, as Java's binary numeric promotion defines it. */
  public static Type promote(Type a, Type b) {
    if (a.equals(DOUBLE) || b.equals(DOUBLE)) {
      return DOUBLE;
    }
    if (a.equals(LONG) || b.equals(LONG)) {
      return LONG;
    }
    return INT;
  }

  public TypeName typeName() {
    TypeName name = base == Base.OBJECT ? ClassName.bestGuess(className) : base.typeName;
    for (int i = 0; i < dimensions; i++) {
      name = ArrayTypeName.of(name);
    }
    return name;
  }

  @Override
  public String toString() {
    return (base == Base.OBJECT ? className : base.javaName) + "[]".repeat(dimensions);
  }
}
