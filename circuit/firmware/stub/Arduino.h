// A small stand-in for the Arduino core API, used only to syntax-check starter sketches for boards
// whose toolchains cannot be installed offline (ESP32, RP2040, ...). It declares the functions the
// cores provide with their real signatures; nothing is linked or run.
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#define HIGH 0x1
#define LOW 0x0
#define INPUT 0x0
#define OUTPUT 0x1
#define INPUT_PULLUP 0x2
#define INPUT_PULLDOWN 0x3
#define LSBFIRST 0
#define MSBFIRST 1
#define HEX 16
#define DEC 10
#define SERIAL_8N1 0x800001c

#define A0 26
#define A1 27
#define A2 28
#define A3 29

typedef uint8_t byte;
typedef bool boolean;
class __FlashStringHelper;
#define F(s) (reinterpret_cast<const __FlashStringHelper *>(s))

void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t val);
int digitalRead(uint8_t pin);
int analogRead(uint8_t pin);
void analogWrite(uint8_t pin, int value);
void delay(unsigned long ms);
void delayMicroseconds(unsigned int us);
unsigned long millis(void);
unsigned long micros(void);
unsigned long pulseIn(uint8_t pin, uint8_t state, unsigned long timeout = 1000000L);
void tone(uint8_t pin, unsigned int frequency, unsigned long duration = 0);
void noTone(uint8_t pin);
void shiftOut(uint8_t dataPin, uint8_t clockPin, uint8_t bitOrder, uint8_t val);
long map(long x, long in_min, long in_max, long out_min, long out_max);
extern "C" char *ltoa(long value, char *str, int base);

class Print {
 public:
  size_t write(uint8_t c);
  size_t write(const char *s);
  size_t print(const __FlashStringHelper *s);
  size_t print(const char *s);
  size_t print(char c);
  size_t print(int n, int base = DEC);
  size_t print(unsigned int n, int base = DEC);
  size_t print(long n, int base = DEC);
  size_t print(unsigned long n, int base = DEC);
  size_t print(double n, int digits = 2);
  size_t println(const __FlashStringHelper *s);
  size_t println(const char *s);
  size_t println(char c);
  size_t println(int n, int base = DEC);
  size_t println(unsigned int n, int base = DEC);
  size_t println(long n, int base = DEC);
  size_t println(unsigned long n, int base = DEC);
  size_t println(double n, int digits = 2);
  size_t println(void);
};

class Stream : public Print {
 public:
  int available(void);
  int read(void);
};

class HardwareSerial : public Stream {
 public:
  HardwareSerial(int uart_nr = 0);
  void begin(unsigned long baud);
  void begin(unsigned long baud, uint32_t config, int8_t rxPin = -1, int8_t txPin = -1);
  operator bool() const;
};
extern HardwareSerial Serial;
extern HardwareSerial Serial1;
extern HardwareSerial Serial2;

#if defined(ARDUINO_ARCH_STM32)
// STM32duino names each port pin (PA0 ... PC15) as a pin number
enum { PA0, PA1, PA2, PA3, PA4, PA5, PA6, PA7, PA8, PA9, PA10, PA11, PA12, PA13, PA14, PA15, PB0, PB1, PB2, PB3, PB4, PB5, PB6, PB7, PB8, PB9, PB10, PB11, PB12, PB13, PB14, PB15, PC0, PC1, PC2, PC3, PC4, PC5, PC6, PC7, PC8, PC9, PC10, PC11, PC12, PC13, PC14, PC15 };
#endif

#if defined(ARDUINO_ARCH_RP2040)
class SerialPIO : public HardwareSerial {
 public:
  SerialPIO(int tx, int rx);
};
#endif
