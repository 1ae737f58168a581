package dev.adjoint.runtime.optim;

import dev.adjoint.runtime.Matrix;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * A record class as the optimizers and {@link Records} see it: its components, each with a method
 * handle for its accessor, and its canonical constructor. Reflection happens once per class (the
 * result is cached); reading and building records afterwards goes through the handles.
 */
final class RecordType {
  /** What a component holds, and so how it maps onto flat positions. */
  enum Kind {
    /** A {@code double}: one position. */
    SCALAR,
    /** A {@code double[]}: one position per element. */
    VECTOR,
    /** A {@code double[][]}: the rows one after the other; rows may differ in length. */
    ROWS,
    /** A {@link Matrix}: its entries row by row. */
    MATRIX,
    /** A nested record: its own components, in order. */
    RECORD,
    /** Anything else ({@code int}, {@code String}, ...): data, carried over unchanged. */
    DATA;

    static Kind of(Class<?> type) {
      if (type == double.class) {
        return SCALAR;
      } else if (type == double[].class) {
        return VECTOR;
      } else if (type == double[][].class) {
        return ROWS;
      } else if (type == Matrix.class) {
        return MATRIX;
      } else if (type.isRecord()) {
        return RECORD;
      }
      return DATA;
    }
  }

  /**
   * One component.
   *
   * @param getter the accessor as {@code (Object) -> type}, for {@code invokeExact} without boxing
   *     a {@code double}
   * @param objectGetter the accessor as {@code (Object) -> Object}
   */
  record Component(
      String name, Class<?> type, Kind kind, MethodHandle getter, MethodHandle objectGetter) {}

  private static final ClassValue<RecordType> CACHE =
      new ClassValue<>() {
        @Override
        protected RecordType computeValue(Class<?> type) {
          return new RecordType(type);
        }
      };

  private final Class<?> type;
  private final List<Component> components;
  // The canonical constructor, (component types...) -> the record.
  private final MethodHandle constructor;
  // The same, (Object[] boxed components) -> Object.
  private final MethodHandle spreadConstructor;

  private RecordType(Class<?> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type.getName() + " is not a record class");
    }
    this.type = type;
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    RecordComponent[] recordComponents = type.getRecordComponents();
    List<Component> list = new ArrayList<>();
    Class<?>[] componentTypes = new Class<?>[recordComponents.length];
    try {
      for (int i = 0; i < recordComponents.length; i++) {
        RecordComponent component = recordComponents[i];
        componentTypes[i] = component.getType();
        Method accessor = component.getAccessor();
        // Records are often private nested classes of the model's class.
        accessor.setAccessible(true);
        MethodHandle getter =
            lookup.unreflect(accessor).asType(MethodType.methodType(component.getType(), Object.class));
        list.add(
            new Component(
                component.getName(),
                component.getType(),
                Kind.of(component.getType()),
                getter,
                getter.asType(MethodType.methodType(Object.class, Object.class))));
      }
      Constructor<?> canonical = type.getDeclaredConstructor(componentTypes);
      canonical.setAccessible(true);
      this.constructor = lookup.unreflectConstructor(canonical);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // RuntimeException: InaccessibleObjectException when the record's package is not open to us.
      throw new IllegalArgumentException(
          "cannot read and rebuild the record "
              + type.getName()
              + " (in a named module, open its package to dev.adjoint.runtime): "
              + e.getMessage(),
          e);
    }
    this.components = List.copyOf(list);
    this.spreadConstructor =
        constructor
            .asSpreader(Object[].class, componentTypes.length)
            .asType(MethodType.methodType(Object.class, Object[].class));
  }

  /** The type of the record class {@code type}, from the cache. */
  static RecordType of(Class<?> type) {
    return CACHE.get(type);
  }

  Class<?> type() {
    return type;
  }

  String simpleName() {
    return type.getSimpleName();
  }

  List<Component> components() {
    return components;
  }

  /** The canonical constructor, {@code (component types...) -> record}. */
  MethodHandle constructor() {
    return constructor;
  }

  /** Component {@code index} of {@code record}, boxed if it is a primitive. */
  Object read(Object record, int index) {
    try {
      return (Object) components.get(index).objectGetter().invokeExact(record);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  /** A new record of this type from its component values (primitives boxed). */
  Object construct(Object[] values) {
    try {
      return (Object) spreadConstructor.invokeExact(values);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  /** Unchecked exceptions and errors pass through (a record's compact constructor may throw). */
  static RuntimeException rethrow(Throwable e) {
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (e instanceof Error error) {
      throw error;
    }
    throw new IllegalStateException(e);
  }
}
